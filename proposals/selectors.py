"""Reading proposals: the list and the lookups the pages need, already filtered by policy."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from sla.selectors import cases_overdue_or_due_soon

from . import policy
from .choices import FINAL_STATES
from .models import Proposal


def proposal_list(*, user, state: str = "", open_only: bool = False, unit=None, category: str = "",
                  search: str = "") -> QuerySet[Proposal]:
    qs = policy.visible_proposals(user, Proposal.objects.all())
    if state:
        qs = qs.filter(state=state)
    elif open_only:
        qs = qs.exclude(state__in=FINAL_STATES)
    if unit is not None:
        qs = qs.filter(responsible_unit=unit)
    if category:
        qs = qs.filter(category=category)
    if search:
        qs = qs.filter(Q(number__icontains=search) | Q(subject__icontains=search))
    return qs.select_related("customer", "responsible_unit").order_by("-received_at", "-pk")


def proposal_get_visible(*, user, number: str) -> Proposal:
    """The proposal, or Proposal.DoesNotExist when it does not exist or is not this user's to see."""
    return (
        policy.visible_proposals(user, Proposal.objects.all())
        .select_related("customer", "responsible_unit", "suggested_unit", "first_responder")
        .get(number=number)
    )


def proposal_overdue_queue(*, user) -> QuerySet[Proposal]:
    """Open proposals past their feedback deadline or its 80% warning, nearest deadline first."""
    visible = policy.visible_proposals(user, Proposal.objects.exclude(state__in=FINAL_STATES))
    return cases_overdue_or_due_soon(visible.select_related("customer", "responsible_unit"))
