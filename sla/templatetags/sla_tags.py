from html import escape

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _

from casework.rows import local_minute
from sla.models import Escalation, MilestoneKind

register = template.Library()


@register.simple_tag
def due_badge(due_at, warn_at=None, met_at=None):
    """Due time with time left, or how long overdue; red when overdue, amber from the 80% warning.
    Every queue row has one: one conversion to local time, and the standard library's escaping
    rather than format_html's (which checks each argument for laziness first)."""
    if due_at is None:
        return "—"
    now = timezone.now()
    when = local_minute(due_at)
    if met_at is not None:
        css, text = ("sla-met", _("met")) if met_at <= due_at else ("sla-late", _("met late"))
    elif due_at <= now:
        css, text = "sla-overdue", _("overdue by %(time)s") % {"time": timesince(due_at, now, depth=1)}
    elif warn_at is not None and warn_at <= now:
        css, text = "sla-soon", _("%(time)s left") % {"time": timeuntil(due_at, now, depth=1)}
    else:
        css, text = "sla-ok", _("%(time)s left") % {"time": timeuntil(due_at, now, depth=1)}
    return mark_safe(f'<span class="badge {css}" title="{when}">{when} · {escape(text)}</span>')  # noqa: S308


@register.filter
def milestone_label(kind: str) -> str:
    try:
        return MilestoneKind(kind).label
    except ValueError:
        return kind


@register.filter
def escalation_label(action: str) -> str:
    """Timeline entries of the sweep store 'sla_level_N'."""
    try:
        return Escalation.Level(int(action.removeprefix("sla_level_"))).label
    except ValueError:
        return action
