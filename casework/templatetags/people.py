from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def person(user, empty="—") -> str:
    """How a colleague is named on a page: full name, else login name; `empty` when there is nobody."""
    if user is None:
        return empty
    return user.get_full_name() or user.get_username()


@register.simple_tag
def actor_name(user) -> str:
    """Timeline entries without a person were made by the system (the SLA sweep, imports)."""
    return person(user, _("system"))


@register.simple_tag
def plain_select(bound_field):
    """A <select> built in Python: the queue renders several on every view, and Django's
    per-option widget templates cost more than the rest of the page."""
    from django.utils.html import format_html, format_html_join

    current = bound_field.value()
    current = "" if current is None else str(current)
    options = format_html_join(
        "", '<option value="{}"{}>{}</option>',
        ((value, " selected" if str(value) == current else "", label)
         for value, label in ((getattr(v, "value", v), lbl) for v, lbl in bound_field.field.choices)),
    )
    return format_html('<select name="{}" id="{}">{}</select>', bound_field.html_name, bound_field.id_for_label,
                       options)
