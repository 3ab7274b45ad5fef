from django import template

from complaints.choices import State

register = template.Library()


@register.filter
def state_label(value: str) -> str:
    """The translated name of a complaint state, as the timeline stores only the code."""
    try:
        return State(value).label
    except ValueError:
        return value
