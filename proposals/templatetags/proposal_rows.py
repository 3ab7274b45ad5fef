"""A proposal's row in a queue (the proposals' queue, overdue, a customer's page), written in Python
from casework.rows: see there why."""

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from casework.rows import local_minute, select_cell, state_cell, text
from sla.templatetags.sla_tags import due_badge

register = template.Library()


@register.simple_tag
def proposal_row(p, selectable=False) -> SafeString:
    urgent = f' <span class="badge prio-urgent">{text(_("Urgent"))}</span>' if p.priority == "urgent" else ""
    unit = p.responsible_unit.name if p.responsible_unit_id else ""
    deadline = due_badge(p.next_due_at, p.next_warn_at) if p.next_due_at else "—"
    return mark_safe(  # noqa: S308  (every value escaped by casework.rows.text; due_badge by format_html)
        "<tr>" + (select_cell(p.number) if selectable else "")
        + f'<td><a href="{reverse("proposals:detail", args=[p.number])}">{text(p.number)}</a></td>'
        f"<td>{text(p.subject)}{urgent}</td>"
        f"<td>{text(p.customer.name)}</td>"
        f"<td>{text(p.get_category_display())}</td>"
        f"<td>{text(unit or '—')}</td>"
        + state_cell(p)
        + f"<td>{local_minute(p.received_at)}</td>"
        f"<td>{deadline}</td></tr>")
