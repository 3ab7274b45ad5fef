"""Reading complaints: the queues and lookups the pages need, already filtered by policy
(the shared pieces are workflow.selectors)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db.models import QuerySet

from casework.models import ResponsibleUnit, open_condition
from workflow.selectors import case_find_by_numbers, case_get_visible, case_list, case_overdue_queue, case_rows

from .choices import FINAL_STATES, Kind, State
from .models import Complaint

REPEAT_WINDOW = timedelta(days=90)
OPEN = open_condition(FINAL_STATES)  # the predicate of the partial indexes (complaint_open_received…)


def complaint_list(*, user: User, state: str = "", open_only: bool = False,
                   unit: ResponsibleUnit | None = None, category: str = "",
                   priority: str = "", search: str = "", mine: bool = False, channel: str = "",
                   complainant_class: str = "", is_major: bool = False, repeat: bool = False,
                   received_from: datetime | None = None, received_to: datetime | None = None,
                   overdue: bool = False) -> QuerySet[Complaint]:
    """A complaint queue (workflow.selectors.case_list); `repeat` keeps the complaints linked at
    dispatch to an earlier one of the same customer, unit and category."""
    complaints = case_list(Complaint.objects.all(), user=user, open_cases=OPEN, state=state, open_only=open_only,
                           unit=unit, search=search, category=category, priority=priority,
                           first_responder=user if mine else None, channel=channel,
                           complainant_class=complainant_class, is_major=is_major,
                           received_from=received_from, received_to=received_to, overdue=overdue)
    return complaints.filter(repeat_of__isnull=False) if repeat else complaints


def complaint_find_by_numbers(*, user: User, numbers: Sequence[str]) -> list[Complaint]:
    return case_find_by_numbers(Complaint.objects.all(), user=user, numbers=numbers)


def complaint_get_visible(*, user: User, number: str) -> Complaint:
    """The complaint, or Complaint.DoesNotExist when it does not exist or is not this user's to see."""
    return case_get_visible(Complaint.objects.all(), user=user, number=number,
                            related=("first_responder", "repeat_of"))


def complaint_overdue_queue(*, user: User) -> QuerySet[Complaint]:
    """Open complaints past a deadline or its 80% warning, nearest deadline first."""
    return case_overdue_queue(Complaint.objects.filter(OPEN), user=user)


def complaint_approval_queue(*, user: User) -> QuerySet[Complaint]:
    return case_rows(complaint_list(user=user, state=State.PENDING_APPROVAL).order_by("received_at", "pk"))


def complaint_find_repeat(*, complaint: Complaint) -> Complaint | None:
    """The latest earlier complaint by the same customer about the same unit and category within 90 days."""
    if complaint.kind != Kind.COMPLAINT or complaint.responsible_unit_id is None:
        return None
    return (
        Complaint.objects.filter(
            customer_id=complaint.customer_id,
            responsible_unit_id=complaint.responsible_unit_id,
            category=complaint.category,
            kind=Kind.COMPLAINT,
            received_at__gte=complaint.received_at - REPEAT_WINDOW,
            received_at__lte=complaint.received_at,
        )
        .exclude(pk=complaint.pk)
        .order_by("-received_at", "-pk")
        .first()
    )
