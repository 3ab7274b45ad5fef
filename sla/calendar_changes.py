"""A changed calendar moves the open deadlines it changes (issue 10; seed 001 7.1: a loop due on a
holiday, weekends included, is due on the first working day after it).

Loading a year (`manage.py load_holidays`) or an admin's edit, import or deletion of calendar days
can turn a working day into a holiday or back. Every pending working-day milestone whose window —
from its start to its one-working-day-overdue point, the days its deadlines were counted over —
covers such a day is recomputed from when it started, and its case's timeline says the deadline
moved. Met, breached and cancelled clocks keep their deadlines (they are history). A clock-hour
clock (the 24-hour contact) keeps its deadline and warning, but its one-working-day-overdue point
(escalation level 2) is counted in working days and moves too; the three-month clock has no policy
and depends on no working day.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from casework.bulk import TableSink
from casework.date_bounds import earliest_date
from casework.models import CASE_EVENT_COLUMNS_WITH_LINES, CaseEvent
from casework.tasks import enqueue
from casework.timeline import choice, lines_json, moment, timeline_text

from .calendar import PrecomputedCalendar, WorkingCalendar
from .models import Milestone, MilestoneKind, SlaPolicy
from .next_deadline import cases_next_due_refresh_of
from .services import CALENDAR_LOOKAHEAD, deadline_compute

log = logging.getLogger(__name__)

# The timeline entry's action: the template shows its note although no person wrote it.
CALENDAR_NOTE_ACTION = "sla_calendar"
READ_COLUMNS = ("pk", "case_type_id", "case_id", "kind", "status", "policy_id", "started_at", "due_at", "warn_at",
                "overdue_at")


class CalendarChange:
    """Which days a write to the calendar turned from working to not or back: each year it touches
    is read before the write (`touch`, called before writing) and compared after it (`changed_days`)."""

    def __init__(self) -> None:
        self._before: dict[date, bool] = {}
        self._years: set[int] = set()

    def touch(self, *days: date | None) -> None:
        years = {day.year for day in days if day is not None} - self._years
        if not years:
            return
        calendar = WorkingCalendar()
        for year in years:
            day = date(year, 1, 1)
            while day.year == year:
                self._before[day] = calendar.is_working_day(day)
                day += timedelta(days=1)
        self._years |= years

    def changed_days(self) -> list[date]:
        calendar = WorkingCalendar()
        return sorted(day for day, working in self._before.items() if calendar.is_working_day(day) != working)


def calendar_recompute_enqueue(*, days: Sequence[date]) -> bool:
    """After commit, a task moves the deadlines around `days` (the admin's pages do not wait for it).
    Nothing would send it again later, so with the broker away they are moved there and then."""
    if not days:
        return False
    from .tasks import calendar_recompute_task  # sla.tasks imports this module

    def send() -> None:
        if not enqueue(calendar_recompute_task, [day.isoformat() for day in days]):
            milestones_recompute_for_calendar(days=days)

    transaction.on_commit(send)
    return True


def _runs(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) runs: a year's holidays are a dozen ranges, not a year."""
    runs: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if runs and day == runs[-1][1] + timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _windows(days: Sequence[date], *, longest: int, calendar: WorkingCalendar) -> Q:
    """Milestones whose window [started_at, overdue_at] covers one of `days`, on the overdue_at index.

    overdue_at has an upper bound too, so a correction of a past day does not read every open clock:
    a clock started by the end of a run is one working day overdue at most `longest` + 2 working days
    after it (day 0 and the overdue day) by the calendar it was computed with, and that calendar had
    at most len(days) working days fewer than today's."""
    window = Q()
    for first, last in _runs(days):
        latest = calendar.working_days_after(last, longest + 2 + len(days)) + timedelta(days=1)
        window |= Q(started_at__lt=_midnight(last + timedelta(days=1)),
                    overdue_at__gte=_midnight(first), overdue_at__lt=_midnight(latest))
    return window


def _working_days_at_most(policy: SlaPolicy) -> int:
    """How many working days a clock of this policy can span before it is due (a clock-hour clock
    at most as many working days as it has started days)."""
    if policy.target_unit == SlaPolicy.Unit.WORKING_DAYS:
        return policy.target
    return -(-policy.target // 24) + 1


def _readable(rows: QuerySet[Milestone, tuple[Any, ...]], size: int) -> tuple[list[tuple[Any, ...]], int | None]:
    """A chunk in one query, and the last id it reached (None: nothing left); if a row cannot be
    read (a date out of Python's range, written before dates were bounded), one by one, so that it
    alone is left out and logged."""
    try:
        chunk = list(rows[:size])
        return chunk, chunk[-1][0] if chunk else None
    except (OverflowError, ValueError):
        log.warning("a milestone of this chunk cannot be read; reading them one by one", exc_info=True)
    readable: list[tuple[Any, ...]] = []
    pks = list(rows.values_list("pk", flat=True)[:size])
    for pk in pks:
        try:
            readable += list(rows.filter(pk=pk))
        except (OverflowError, ValueError):
            log.exception("milestone %s cannot be read: deadline not recomputed", pk)
    return readable, pks[-1] if pks else None


# On the case's timeline (casework.timeline: the clock's name and the times in the reader's language).
DEADLINE_MOVED = timeline_text(
    "sla.deadline_moved",
    gettext_lazy("%(milestone)s: the deadline moved from %(old)s to %(new)s because the working-day calendar "
                 "changed."), milestone=choice(MilestoneKind), old=moment, new=moment)


def _said(kind: str, old: datetime, new: datetime) -> str | None:
    return lines_json([DEADLINE_MOVED.line(milestone=kind, old=old, new=new)])


def milestones_recompute_for_calendar(*, days: Iterable[date], chunk_size: int = 2000) -> int:
    """The calendar changed on `days`: recompute every pending working-day milestone whose window
    covers one of them (due, warning, one working day overdue), a chunk at a time, and note each
    moved deadline in its case's timeline. Idempotent: what already agrees with the calendar is not
    written again, so a second run changes nothing. Returns how many milestones changed."""
    days = sorted(set(days))
    policies = {p.pk: p for p in SlaPolicy.objects.all()}
    if not days or not policies:
        return 0
    calendar = PrecomputedCalendar(days[0] - CALENDAR_LOOKAHEAD, days[-1] + CALENDAR_LOOKAHEAD)
    # Pending clocks move; a breached one still waiting for its level-2 point keeps its (missed)
    # deadline and moves only that point; met ones are left alone. escalated_level < 2 lets the
    # planner use the partial overdue_at index (milestone_to_level2). A clock started before any
    # case can have been received is a bad row: left out in SQL.
    candidates = Milestone.objects.filter(
        _windows(days, longest=max(_working_days_at_most(p) for p in policies.values()), calendar=calendar),
        status__in=[Milestone.Status.PENDING, Milestone.Status.BREACHED], met_at__isnull=True,
        escalated_level__lt=2, policy_id__in=list(policies),
        started_at__gte=_midnight(earliest_date()),
    ).order_by("pk")
    changed, last_pk = 0, 0
    while True:
        with transaction.atomic():
            chunk = candidates.filter(pk__gt=last_pk).select_for_update(of=("self",))
            rows, reached = _readable(chunk.values_list(*READ_COLUMNS), chunk_size)
            if reached is None:
                return changed
            moved = _recompute_chunk(rows, policies=policies, calendar=calendar)
        # Their cases' columns once the clocks are committed and unlocked (sla/next_deadline.py).
        cases_next_due_refresh_of(moved)
        changed += len(moved)
        last_pk = reached


def _recompute_chunk(rows: list[tuple[Any, ...]], *, policies: dict[int, SlaPolicy],
                     calendar: WorkingCalendar) -> list[Milestone]:
    moved: list[Milestone] = []
    events = TableSink(CaseEvent, CASE_EVENT_COLUMNS_WITH_LINES)
    now = timezone.now()
    for pk, case_type_id, case_id, kind, status, policy_id, started_at, due_at, warn_at, overdue_at in rows:
        try:
            due, warn, overdue = deadline_compute(policy=policies[policy_id], started_at=started_at,
                                                  calendar=calendar)
        except (OverflowError, ValueError):
            log.exception("milestone %s: deadline not recomputed", pk)
            continue
        if status == Milestone.Status.BREACHED:  # missed: its deadline is history, its level 2 is not
            due, warn = due_at, warn_at
        if (due, warn, overdue) == (due_at, warn_at, overdue_at):
            continue
        moved.append(Milestone(pk=pk, case_type_id=case_type_id, case_id=case_id, due_at=due, warn_at=warn,
                               overdue_at=overdue))
        if due != due_at:
            events.add(case_type_id, case_id, CaseEvent.Kind.COMMENT, CALENDAR_NOTE_ACTION, None, "", "", "", now,
                       _said(kind, due_at, due))
    if moved:
        Milestone.objects.bulk_update(moved, ["due_at", "warn_at", "overdue_at"])
    events.flush()
    return moved
