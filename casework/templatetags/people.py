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
