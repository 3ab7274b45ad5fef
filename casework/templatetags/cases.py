from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst

from casework.case_kinds import CASE_PAGES, STATE_LABELS

register = template.Library()


@register.filter
def state_label(value: str) -> str:
    """The translated name of a case state, as the timeline stores only the code. Put into words
    here, once: a lazy name went through gettext again for each filter after it and for display."""
    return str(STATE_LABELS.get(value, value))


@register.filter
def time_element(moment) -> str:
    """A moment as <time>: ISO 8601 in its `datetime`, local time to the second as its text (what
    `date:'c'` and `date:"Y-m-d H:i:s"` write). One conversion to local time instead of two date
    formats: the timeline shows one for each of its entries, and they were a third of its cost."""
    local = timezone.localtime(moment)
    return format_html('<time datetime="{}">{}</time>', local.isoformat(), f"{local:%Y-%m-%d %H:%M:%S}")


@register.simple_tag(takes_context=True)
def sort_header(context, name: str, label: str):
    """A queue's column header: a link that sorts by the column (again: the other way round), with
    `aria-sort` on the column the list is sorted by. Without a `sortable` queue (the search page)
    just the label."""
    if not context.get("sortable"):
        return format_html('<th scope="col">{}</th>', label)
    current = context.get("sort", "")
    ascending, descending = current == name, current == f"-{name}"
    following = f"-{name}" if ascending and name != "deadline" else name
    query = context.get("sort_query", "")
    href = "?" + (f"{query}&" if query else "") + urlencode({"sort": following})
    aria = "ascending" if ascending else "descending" if descending else None
    arrow = " ▲" if ascending else " ▼" if descending else ""
    return format_html('<th scope="col"{}><a href="{}">{}{}</a></th>',
                       format_html(' aria-sort="{}"', aria) if aria else "", href, label, arrow)


@register.filter
def case_page(case) -> str:
    """The page of a case of any kind (a customer's complaints and proposals in one list)."""
    return reverse(CASE_PAGES[case._meta.label_lower], args=[case.number])


@register.filter
def case_kind_label(case) -> str:
    return str(capfirst(case._meta.verbose_name))
