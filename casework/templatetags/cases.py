from django import template
from django.urls import reverse
from django.utils.text import capfirst

from casework.case_kinds import CASE_PAGES, STATE_LABELS

register = template.Library()


@register.filter
def state_label(value: str) -> str:
    """The translated name of a case state, as the timeline stores only the code."""
    return STATE_LABELS.get(value, value)


@register.filter
def case_page(case) -> str:
    """The page of a case of any kind (a customer's complaints and proposals in one list)."""
    return reverse(CASE_PAGES[case._meta.label_lower], args=[case.number])


@register.filter
def case_kind_label(case) -> str:
    return str(capfirst(case._meta.verbose_name))
