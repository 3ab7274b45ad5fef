"""Reading proposals: the list and the lookups the pages need, already filtered by policy
(the shared pieces are workflow.selectors)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import QuerySet

from casework.models import ResponsibleUnit, open_condition
from workflow.selectors import case_find_by_numbers, case_get_visible, case_list, case_overdue_queue

from .choices import FINAL_STATES
from .models import Proposal

OPEN = open_condition(FINAL_STATES)  # the predicate of the partial indexes


def proposal_list(*, user: User, state: str = "", open_only: bool = False,
                  unit: ResponsibleUnit | None = None, category: str = "", priority: str = "",
                  search: str = "", channel: str = "", received_from: datetime | None = None,
                  received_to: datetime | None = None, overdue: bool = False) -> QuerySet[Proposal]:
    return case_list(Proposal.objects.all(), user=user, open_cases=OPEN, state=state, open_only=open_only,
                     unit=unit, search=search, category=category, priority=priority, channel=channel,
                     received_from=received_from, received_to=received_to, overdue=overdue)


def proposal_find_by_numbers(*, user: User, numbers: Sequence[str]) -> list[Proposal]:
    return case_find_by_numbers(Proposal.objects.all(), user=user, numbers=numbers)


def proposal_get_visible(*, user: User, number: str) -> Proposal:
    """The proposal, or Proposal.DoesNotExist when it does not exist or is not this user's to see."""
    return case_get_visible(Proposal.objects.all(), user=user, number=number,
                            related=("suggested_unit", "first_responder", "contact_person"))


def proposal_overdue_queue(*, user: User) -> QuerySet[Proposal]:
    """Open proposals past their feedback deadline or its 80% warning, nearest deadline first."""
    return case_overdue_queue(Proposal.objects.filter(OPEN), user=user)

