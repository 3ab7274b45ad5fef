"""A complaint's row in a queue (the desk's queue, approvals, overdue, a unit's or a customer's
page), written in Python from casework.rows: see there why."""

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from casework.rows import local_minute, select_cell, state_cell, text
from sla.templatetags.sla_tags import due_badge, milestone_label

register = template.Library()


@register.simple_tag
def complaint_row(c, selectable=False) -> SafeString:
    badges = ""
    if c.is_major:
        badges += f' <span class="badge badge-major">{text(_("Major"))}</span>'
    if c.repeat_of_id:
        badges += f' <span class="badge">{text(_("Repeat"))}</span>'
    unit = c.responsible_unit.name if c.responsible_unit_id else ""
    deadline = (f"{text(milestone_label(c.next_due_kind))}<br>{due_badge(c.next_due_at, c.next_warn_at)}"
                if c.next_due_at else "—")
    return mark_safe(  # noqa: S308  (every value escaped by casework.rows.text; due_badge by format_html)
        "<tr>" + (select_cell(c.number) if selectable else "")
        + f'<td><a href="{reverse("complaints:detail", args=[c.number])}">{text(c.number)}</a></td>'
        f"<td>{text(c.subject)}{badges}</td>"
        f"<td>{text(c.customer.name)}</td>"
        f"<td>{text(c.get_category_display())}</td>"
        f'<td><span class="badge prio-{text(c.priority)}">{text(c.get_priority_display())}</span></td>'
        f"<td>{text(unit or '—')}</td>"
        + state_cell(c)
        + f"<td>{local_minute(c.received_at)}</td>"
        f"<td>{deadline}</td></tr>")
