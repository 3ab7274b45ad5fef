"""Reading SLA state for pages: open clocks, the overdue queue, calendar warnings."""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import F, Model, QuerySet
from django.utils import timezone

from .calendar import WorkingCalendar
from .models import OPEN, Milestone
from .next_deadline import keeps_next_deadline

MISSING_YEARS_CACHE_KEY = "sla:calendar-missing-years"
# From this month on, deadlines start running into next year: its calendar is needed too.
NEXT_YEAR_NEEDED_FROM_MONTH = 11

M = TypeVar("M", bound=Model)


def open_milestones_of(model: type[Model]) -> QuerySet[Milestone]:
    return Milestone.objects.filter(OPEN, case_type=ContentType.objects.get_for_model(model))


def attach_next_deadlines(cases: Iterable[M]) -> list[M]:
    """Set next_due_at / next_warn_at / next_due_kind on a page of cases with one query: the
    nearest running clock's, for the lists' deadline column. (A kind whose table keeps
    `next_due_at` holds the same time; a survey's list reads it only from here.)"""
    page = list(cases)
    if not page:
        return page
    # Plain rows, not Milestone objects: a page of 25 cases has some 200 running clocks.
    nearest: dict[int, tuple[Any, ...]] = {}
    for case_id, *clock in (open_milestones_of(type(page[0])).filter(case_id__in=[c.pk for c in page])
                            .order_by("case_id", "due_at").values_list("case_id", "due_at", "warn_at", "kind")):
        nearest.setdefault(case_id, tuple(clock))
    for case in page:
        # For the templates; next_due_at is also a column of complaints and proposals (the same value).
        due_at, warn_at, kind = nearest.get(case.pk, (None, None, ""))
        case.next_due_at = due_at  # type: ignore[attr-defined]
        case.next_warn_at = warn_at  # type: ignore[attr-defined]
        case.next_due_kind = kind  # type: ignore[attr-defined]
    return page


def cases_overdue(queryset: QuerySet[M], *, now: datetime | None = None) -> QuerySet[M]:
    """The cases with an open deadline already past (the queues' "overdue" filter): their nearest
    deadline is past, for a kind that keeps it (an index range); else a clock of theirs is."""
    now = now or timezone.now()
    if keeps_next_deadline(queryset.model):
        return queryset.filter(next_due_at__lte=now)
    late = open_milestones_of(queryset.model).filter(due_at__lte=now)
    return queryset.filter(pk__in=late.values("case_id"))


def cases_by_nearest_deadline(queryset: QuerySet[M], *, newest: str = "received_at") -> QuerySet[M]:
    """The cases in the order of their nearest running deadline (an overdue case first), then those
    without one, newest first; the primary key breaks ties so pages do not overlap. It reads the
    column the clocks keep (`next_due_at`), in the order of the kind's `…_deadline_order` index."""
    return queryset.order_by(F("next_due_at").asc(nulls_last=True), F(newest).desc(), "-pk")


def cases_overdue_or_due_soon(queryset: QuerySet[M], *, now: datetime | None = None) -> QuerySet[M]:
    """The cases past a running deadline or its warning, the nearest deadline first (a kind that
    keeps the columns of sla.next_deadline)."""
    return queryset.filter(due_soon_at__lte=now or timezone.now()).order_by(F("next_due_at").asc(nulls_last=True),
                                                                           "pk")


# Every staff page asks for the banner: each process keeps the answer for a minute rather than
# asking the shared cache on every request (a Redis round trip a page, a tenth of a page's time
# under load). Another process's calendar edit shows here within that minute.
MISSING_YEARS_LOCAL_SECONDS = 60
_missing_years_here: dict[str, tuple[float, list[int]]] = {}


def calendar_missing_years(*, today: date | None = None) -> list[int]:
    """Years the deadlines of now need that have no official calendar (cached; cleared on edits)."""
    today = today or timezone.localdate()
    years = [today.year] + ([today.year + 1] if today.month >= NEXT_YEAR_NEEDED_FROM_MONTH else [])
    key = f"{MISSING_YEARS_CACHE_KEY}:{'-'.join(map(str, years))}"
    kept = _missing_years_here.get(key)
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    missing: list[int] | None = cache.get(key)
    if missing is None:
        calendar = WorkingCalendar()
        missing = [y for y in years if calendar.is_year_missing(y)]
        cache.set(key, missing, 300)
    _missing_years_here[key] = (time.monotonic() + MISSING_YEARS_LOCAL_SECONDS, missing)
    return missing


def calendar_warning_forget() -> None:
    year = timezone.localdate().year
    _missing_years_here.clear()
    cache.delete_many([f"{MISSING_YEARS_CACHE_KEY}:{year}", f"{MISSING_YEARS_CACHE_KEY}:{year}-{year + 1}"])
