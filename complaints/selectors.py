"""Reading complaints: the queues and lookups the pages need, already filtered by policy."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet

from sla.selectors import cases_overdue_or_due_soon

from . import policy
from .choices import Kind, State
from .models import Complaint

REPEAT_WINDOW = timedelta(days=90)


def complaint_list(*, user, state: str = "", open_only: bool = False, unit=None, category: str = "",
                   priority: str = "", search: str = "", mine: bool = False) -> QuerySet[Complaint]:
    qs = policy.visible_complaints(user, Complaint.objects.all())
    if state:
        qs = qs.filter(state=state)
    elif open_only:
        qs = qs.exclude(state=State.CLOSED)  # the same predicate as the partial index complaint_open_received
    if unit is not None:
        qs = qs.filter(responsible_unit=unit)
    if category:
        qs = qs.filter(category=category)
    if priority:
        qs = qs.filter(priority=priority)
    if search:
        qs = qs.filter(Q(number__icontains=search) | Q(subject__icontains=search))
    if mine:
        qs = qs.filter(first_responder=user)
    return qs.order_by("-received_at", "-pk")


def complaint_rows(queryset: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """What a list page shows of each complaint: its customer and unit (the nearest deadline is
    attached to the page's rows afterwards, see sla.selectors.attach_next_deadlines)."""
    return queryset.select_related("customer", "responsible_unit")


def complaint_get_visible(*, user, number: str) -> Complaint:
    """The complaint, or Complaint.DoesNotExist when it does not exist or is not this user's to see."""
    return (
        policy.visible_complaints(user, Complaint.objects.all())
        .select_related("customer", "responsible_unit", "first_responder", "repeat_of")
        .get(number=number)
    )


def complaint_overdue_queue(*, user) -> QuerySet[Complaint]:
    """Open complaints past a deadline or its 80% warning, nearest deadline first."""
    visible = policy.visible_complaints(user, Complaint.objects.exclude(state=State.CLOSED))
    return cases_overdue_or_due_soon(visible.select_related("customer", "responsible_unit"))


def complaint_approval_queue(*, user) -> QuerySet[Complaint]:
    return complaint_rows(complaint_list(user=user, state=State.PENDING_APPROVAL).order_by("received_at", "pk"))


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
