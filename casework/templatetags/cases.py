from django import template

from casework.case_kinds import STATE_LABELS

register = template.Library()


@register.filter
def state_label(value: str) -> str:
    """The translated name of a case state, as the timeline stores only the code."""
    return STATE_LABELS.get(value, value)
