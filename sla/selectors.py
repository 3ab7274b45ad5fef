"""Reading SLA state for pages: open clocks, the overdue queue, calendar warnings."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from .calendar import WorkingCalendar
from .models import OPEN, Milestone

MISSING_YEARS_CACHE_KEY = "sla:calendar-missing-years"
# From this month on, deadlines start running into next year: its calendar is needed too.
NEXT_YEAR_NEEDED_FROM_MONTH = 11


def open_milestones_of(model) -> QuerySet[Milestone]:
    return Milestone.objects.filter(OPEN, case_type=ContentType.objects.get_for_model(model))


def with_next_deadline(queryset: QuerySet) -> QuerySet:
    """Annotate each case with its earliest open deadline and when that deadline's warning starts."""
    nearest = open_milestones_of(queryset.model).filter(case_id=OuterRef("pk")).order_by("due_at")
    return queryset.annotate(
        next_due_at=Subquery(nearest.values("due_at")[:1]),
        next_warn_at=Subquery(nearest.values("warn_at")[:1]),
        next_due_kind=Subquery(nearest.values("kind")[:1]),
    )


def attach_next_deadlines(cases) -> list:
    """Set next_due_at / next_warn_at / next_due_kind on a page of cases with one query.
    (As an annotation, PostgreSQL would evaluate the sub-query for every row an OFFSET skips.)"""
    cases = list(cases)
    if not cases:
        return cases
    nearest = {}
    for milestone in (open_milestones_of(type(cases[0])).filter(case_id__in=[c.pk for c in cases])
                      .order_by("case_id", "due_at").only("case_id", "due_at", "warn_at", "kind")):
        nearest.setdefault(milestone.case_id, milestone)
    for case in cases:
        milestone = nearest.get(case.pk)
        case.next_due_at = milestone.due_at if milestone else None
        case.next_warn_at = milestone.warn_at if milestone else None
        case.next_due_kind = milestone.kind if milestone else ""
    return cases


def cases_overdue_or_due_soon(queryset: QuerySet, *, now=None) -> QuerySet:
    now = now or timezone.now()
    hot = open_milestones_of(queryset.model).filter(Q(due_at__lte=now) | Q(warn_at__lte=now))
    return with_next_deadline(queryset.filter(pk__in=hot.values("case_id"))).order_by("next_due_at", "pk")


def calendar_missing_years(*, today: date | None = None) -> list[int]:
    """Years the deadlines of now need that have no official calendar (cached; cleared on edits)."""
    today = today or timezone.localdate()
    years = [today.year] + ([today.year + 1] if today.month >= NEXT_YEAR_NEEDED_FROM_MONTH else [])
    key = f"{MISSING_YEARS_CACHE_KEY}:{'-'.join(map(str, years))}"
    missing = cache.get(key)
    if missing is None:
        calendar = WorkingCalendar()
        missing = [y for y in years if calendar.is_year_missing(y)]
        cache.set(key, missing, 300)
    return missing


def calendar_warning_forget() -> None:
    year = timezone.localdate().year
    cache.delete_many([f"{MISSING_YEARS_CACHE_KEY}:{year}", f"{MISSING_YEARS_CACHE_KEY}:{year}-{year + 1}"])
