"""Reading SLA state for pages: open clocks, the overdue queue, calendar warnings."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Generic, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Exists, Model, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from .calendar import WorkingCalendar
from .models import OPEN, Milestone

MISSING_YEARS_CACHE_KEY = "sla:calendar-missing-years"
# From this month on, deadlines start running into next year: its calendar is needed too.
NEXT_YEAR_NEEDED_FROM_MONTH = 11

M = TypeVar("M", bound=Model)


def open_milestones_of(model: type[Model]) -> QuerySet[Milestone]:
    return Milestone.objects.filter(OPEN, case_type=ContentType.objects.get_for_model(model))


def with_next_deadline(queryset: QuerySet[M]) -> QuerySet[M]:
    """Annotate each case with its earliest open deadline and when that deadline's warning starts."""
    nearest = open_milestones_of(queryset.model).filter(case_id=OuterRef("pk")).order_by("due_at")
    annotated: QuerySet[M] = queryset.annotate(
        next_due_at=Subquery(nearest.values("due_at")[:1]),
        next_warn_at=Subquery(nearest.values("warn_at")[:1]),
        next_due_kind=Subquery(nearest.values("kind")[:1]),
    )
    return annotated


def attach_next_deadlines(cases: Iterable[M]) -> list[M]:
    """Set next_due_at / next_warn_at / next_due_kind on a page of cases with one query.
    (As an annotation, PostgreSQL would evaluate the sub-query for every row an OFFSET skips.)"""
    page = list(cases)
    if not page:
        return page
    nearest: dict[int, Milestone] = {}
    for milestone in (open_milestones_of(type(page[0])).filter(case_id__in=[c.pk for c in page])
                      .order_by("case_id", "due_at").only("case_id", "due_at", "warn_at", "kind")):
        nearest.setdefault(milestone.case_id, milestone)
    for case in page:
        found = nearest.get(case.pk)
        # The same names with_next_deadline annotates, for the templates; no model declares them.
        case.next_due_at = found.due_at if found else None  # type: ignore[attr-defined]
        case.next_warn_at = found.warn_at if found else None  # type: ignore[attr-defined]
        case.next_due_kind = found.kind if found else ""  # type: ignore[attr-defined]
    return page


def cases_overdue(queryset: QuerySet[M], *, now: datetime | None = None) -> QuerySet[M]:
    """The cases with an open deadline already past (the queues' "overdue" filter). The sub-query
    reads the partial index of open milestones by due time (`milestone_pending_due`)."""
    late = open_milestones_of(queryset.model).filter(due_at__lte=now or timezone.now())
    return queryset.filter(pk__in=late.values("case_id"))


class CasesByNearestDeadline(Generic[M]):
    """`cases` in the order of their nearest open deadline (an overdue case first), then the cases
    without one, newest first: a sequence the paginator slices and the export iterates.

    Ordering the cases by a sub-query a row read every open deadline of every case in the queue
    (1.2 s for the 54,000 open complaints of a million; docs/performance.md). This reads it from the
    other side: the open clocks in due order through their partial index, each the first of its
    case, and only while they belong to cases of the queue — a page is the first few dozen clocks,
    whatever the size of the queue. The cases without an open deadline come after, in a query of
    their own, only for the pages that reach them."""

    CHUNK = 2000

    def __init__(self, cases: QuerySet[M], *, newest: str = "received_at"):
        self.cases, self.newest = cases, newest

    def select_related(self, *fields: str) -> CasesByNearestDeadline[M]:
        return CasesByNearestDeadline(self.cases.select_related(*fields), newest=self.newest)

    def _firsts(self) -> QuerySet[Milestone]:
        clocks = open_milestones_of(self.cases.model)
        earlier = clocks.filter(case_id=OuterRef("case_id")).filter(
            Q(due_at__lt=OuterRef("due_at")) | Q(due_at=OuterRef("due_at"), pk__lt=OuterRef("pk")))
        return (clocks.filter(case_id__in=self.cases.values("pk")).exclude(Exists(earlier))
                .order_by("due_at", "pk"))

    def _without_deadline(self) -> QuerySet[M]:
        return self.cases.exclude(pk__in=open_milestones_of(self.cases.model).values("case_id")).order_by(
            f"-{self.newest}", "-pk")

    def __len__(self) -> int:
        return self.cases.count()

    def __getitem__(self, index: slice) -> list[M]:
        start, stop = index.start or 0, index.stop if index.stop is not None else len(self)
        if stop <= start:
            return []
        ids = list(self._firsts().values_list("case_id", flat=True)[start:stop])
        rows = {case.pk: case for case in self.cases.order_by().filter(pk__in=ids)}
        page = [rows[pk] for pk in ids if pk in rows]
        if len(ids) < stop - start:  # past the cases with a deadline: those without, newest first
            with_deadline = start + len(ids) if ids else self._firsts().count()
            page += list(self._without_deadline()[max(start - with_deadline, 0):stop - with_deadline])
        return page

    def __iter__(self) -> Iterator[M]:
        """All of them (an export), a chunk of clocks at a time, then those without a deadline."""
        firsts = self._firsts().values_list("case_id", flat=True)
        start = 0
        while True:
            ids = list(firsts[start:start + self.CHUNK])
            rows = {case.pk: case for case in self.cases.order_by().filter(pk__in=ids)}
            yield from (rows[pk] for pk in ids if pk in rows)
            if len(ids) < self.CHUNK:
                break
            start += self.CHUNK
        yield from self._without_deadline().iterator(chunk_size=self.CHUNK)


def cases_overdue_or_due_soon(queryset: QuerySet[M], *, now: datetime | None = None) -> QuerySet[M]:
    now = now or timezone.now()
    hot = open_milestones_of(queryset.model).filter(Q(due_at__lte=now) | Q(warn_at__lte=now))
    return with_next_deadline(queryset.filter(pk__in=hot.values("case_id"))).order_by("next_due_at", "pk")


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
