"""Starting, meeting and recomputing a case's milestones. Case services call these
inside their own transaction, so a deadline changes together with the case."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.auth.models import User
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone

from casework.bulk import TableSink
from casework.case_kinds import CaseRecord, CaseT, case_content_type
from casework.date_bounds import earliest_date
from casework.models import ResponsibleUnit

from .calendar import PrecomputedCalendar, WorkingCalendar
from .deadlines import add_calendar_months, add_clock_hours, add_working_days, warning_time, working_warning_time
from .models import MILESTONE_COLUMNS, Milestone, MilestoneKind, SlaPolicy
from .next_deadline import cases_next_due_refresh, cases_next_due_refresh_of

log = logging.getLogger(__name__)

LONG_OPEN_MONTHS = 3


def _case_filter(case: CaseRecord) -> Q:
    return Q(case_type=case_content_type(case), case_id=case.pk)


def case_next_due_refresh(*, case: CaseRecord) -> None:
    """The case's deadline columns from its clocks. The case's own transaction calls it last, once
    it holds the case: a full save of the case, read before a batch refreshed it, may have written
    the columns back as they were."""
    cases_next_due_refresh(case_type=case_content_type(case), case_ids=[case.pk])



def policy_pick(policies: list[SlaPolicy], *, milestone: str, priority: str, unit_kind: str = "") -> SlaPolicy | None:
    """The most specific policy: own priority beats any priority, own unit kind beats any unit."""
    matching = [
        p for p in policies
        if p.milestone == milestone and p.priority in (priority, "") and p.unit_kind in (unit_kind, "")
    ]
    return max(matching, key=lambda p: (p.priority != "", p.unit_kind != ""), default=None)


# How far past the latest start a bulk computation's calendar is read ahead (working-day targets
# are weeks at most); beyond it the calendar still answers, only more slowly.
CALENDAR_LOOKAHEAD = timedelta(days=90)
PRECOMPUTED_DAYS_AT_MOST = 20 * 366


def calendar_for_starts(starts: Sequence[datetime]) -> WorkingCalendar:
    """A calendar read once for clocks starting at `starts`: each day's answer is a lookup."""
    days = [timezone.localdate(start) for start in starts]
    first, last = min(days), max(days) + CALENDAR_LOOKAHEAD
    if (last - first).days > PRECOMPUTED_DAYS_AT_MOST:  # decades of history: looked up day by day
        return WorkingCalendar()
    return PrecomputedCalendar(first, last)


def deadline_compute(*, policy: SlaPolicy, started_at: datetime,
                     calendar: WorkingCalendar) -> tuple[datetime, datetime, datetime]:
    """(due, warning, one working day overdue) for a clock started at `started_at`. The warning is
    80% of the wall-clock time for clock hours, 80% of the working time for working days."""
    if policy.target_unit == SlaPolicy.Unit.CLOCK_HOURS:
        due = add_clock_hours(started_at, policy.target)
        warn = warning_time(started_at, due)
    else:
        due = add_working_days(started_at, policy.target, calendar)
        warn = working_warning_time(started_at, due, calendar)
    return due, warn, add_working_days(due, 1, calendar)


def milestones_start(*, case: CaseT, kinds: Sequence[str], started_at: datetime, case_kind: str, priority: str,
                     owner: User | None = None, unit: ResponsibleUnit | None = None, round: int = 0) -> int:
    """Start the clocks of `kinds` for a case in a round. A kind already started in that round, or
    with no policy, is skipped: each milestone runs once a round (the KPIs count the first round)."""
    case_type = case_content_type(case)
    existing = set(Milestone.objects.filter(case_type=case_type, case_id=case.pk, round=round)
                   .values_list("kind", flat=True))
    return milestones_start_new_cases(cases=[case], kinds=[k for k in kinds if k not in existing],
                                      started_at=lambda c: started_at, case_kind=case_kind,
                                      priority=lambda c: priority, owner=owner, unit=unit, round=round)


def milestone_start_until(*, case: CaseT, kind: str, started_at: datetime, due_at: datetime,
                          owner: User | None = None, unit: ResponsibleUnit | None = None, round: int = 0) -> bool:
    """Start a clock whose due moment the case itself fixes (a survey's answer date, set by its
    campaign), not a policy: it warns at 80 % of the working time and is one working day overdue a
    working day after the due moment, like a policy's clock. Skipped (False) if already started in
    that round."""
    case_type = case_content_type(case)
    if Milestone.objects.filter(case_type=case_type, case_id=case.pk, kind=kind, round=round).exists():
        return False
    calendar = WorkingCalendar()
    Milestone.objects.create(
        case_type=case_type, case_id=case.pk, case_number=case.number, kind=kind, round=round, policy=None,
        started_at=started_at, due_at=due_at, warn_at=working_warning_time(started_at, due_at, calendar),
        overdue_at=add_working_days(due_at, 1, calendar), owner=owner, unit=unit)
    case_next_due_refresh(case=case)
    return True


def milestones_end_earlier_rounds(*, case: CaseRecord, kinds: Sequence[str], round: int, at: datetime) -> None:
    """The case went back to a unit (round `round`): the earlier rounds' running clocks of `kinds` are
    superseded by the new round's."""
    _end(Milestone.objects.open().filter(_case_filter(case), kind__in=kinds, round__lt=round), at=at)
    case_next_due_refresh(case=case)


def _end(clocks: QuerySet[Milestone], *, at: datetime) -> None:
    """Running clocks that are no longer needed stop: a pending one is cancelled; a breached one stays
    breached — the miss is history, and the KPIs count it — and records when it ended, so it stops
    escalating."""
    clocks.filter(status=Milestone.Status.PENDING).update(status=Milestone.Status.CANCELLED)
    clocks.filter(status=Milestone.Status.BREACHED).update(met_at=at)


def milestones_start_new_cases(*, cases: Sequence[CaseT], kinds: Sequence[str], started_at: Callable[[CaseT], datetime],
                               case_kind: str, priority: Callable[[CaseT], str], owner: User | None = None,
                               unit: ResponsibleUnit | None = None, round: int = 0) -> int:
    """Start clocks for cases that have none of `kinds` yet (intake, imports): one calendar,
    one policy read, and rows written straight to the table (no model instances: an import of
    100,000 cases starts half a million clocks). `started_at` and `priority` are functions of the case."""
    if not cases:
        return 0
    case_type_id = case_content_type(cases[0]).pk
    policies = list(SlaPolicy.objects.filter(case_kind=case_kind))
    starts = [started_at(case) for case in cases]
    calendar = calendar_for_starts(starts)
    unit_kind = getattr(unit, "kind", "") or ""
    owner_id, unit_id = getattr(owner, "pk", None), getattr(unit, "pk", None)
    sink = TableSink(Milestone, MILESTONE_COLUMNS)
    for case, start in zip(cases, starts, strict=True):
        for kind in kinds:
            deadlines = _clock_deadlines(policies, calendar, kind=kind, started_at=start, priority=priority(case),
                                         unit_kind=unit_kind)
            if deadlines is None:
                continue
            due, warn, overdue, policy_id = deadlines
            sink.add(case_type_id, case.pk, case.number, kind, round, policy_id, start, due, warn, overdue, None,
                     Milestone.Status.PENDING, -1, owner_id, unit_id)
    sink.flush()
    if sink.written:
        cases_next_due_refresh(case_type=case_content_type(cases[0]), case_ids=[case.pk for case in cases])
    return sink.written


Deadlines = tuple[datetime, datetime | None, datetime | None, int | None]


def _clock_deadlines(policies: list[SlaPolicy], calendar: WorkingCalendar, *, kind: str, started_at: datetime,
                     priority: str, unit_kind: str) -> Deadlines | None:
    """(due, warning, overdue, policy id) of a clock of `kind`, or None when no policy sets one."""
    if kind == MilestoneKind.LONG_OPEN:
        # Not a policy: SPEC §5's three months turn an open complaint into a company project.
        return add_calendar_months(started_at, LONG_OPEN_MONTHS), None, None, None
    policy = policy_pick(policies, milestone=kind, priority=priority, unit_kind=unit_kind)
    if policy is None:
        return None
    due, warn, overdue = deadline_compute(policy=policy, started_at=started_at, calendar=calendar)
    return due, warn, overdue, policy.pk


@dataclass(frozen=True)
class KnownClock:
    """A clock whose story is already known (a case imported from another system): started at
    `started_at` and met — in time, or late — at `met_at`. Unmet, it still runs; unless its case
    closed at `ended_at`, where it ended as a close ends it (`_end`): late by then, breached with that
    time; otherwise not needed any more."""

    case: CaseRecord
    kind: str
    started_at: datetime
    priority: str
    met_at: datetime | None = None
    ended_at: datetime | None = None
    unit: ResponsibleUnit | None = None  # who hears of it
    unit_kind: str = ""  # whose policy it follows: the unit's kind for a clock started at dispatch, as live
    round: int = 0


def milestones_record_known(*, clocks: Sequence[KnownClock], case_kind: str, owner: User | None = None) -> int:
    """Write clocks whose story is known, with the deadlines the policies give from their start (the
    same arithmetic as a live clock's), in one insert. None is left pending unless it is still running,
    so the sweep escalates only what is really open. A kind without a policy is skipped."""
    if not clocks:
        return 0
    case_type_id = case_content_type(clocks[0].case).pk
    policies = list(SlaPolicy.objects.filter(case_kind=case_kind))
    calendar = calendar_for_starts([clock.started_at for clock in clocks])
    owner_id = getattr(owner, "pk", None)
    sink = TableSink(Milestone, MILESTONE_COLUMNS)
    for clock in clocks:
        deadlines = _clock_deadlines(policies, calendar, kind=clock.kind, started_at=clock.started_at,
                                     priority=clock.priority, unit_kind=clock.unit_kind)
        if deadlines is None:
            continue
        due, warn, overdue, policy_id = deadlines
        met_at = clock.met_at
        if met_at is not None:
            status = Milestone.Status.MET if met_at <= due else Milestone.Status.BREACHED
        elif clock.ended_at is None:
            status = Milestone.Status.PENDING
        elif due < clock.ended_at:
            status, met_at = Milestone.Status.BREACHED, clock.ended_at
        else:
            status = Milestone.Status.CANCELLED
        sink.add(case_type_id, clock.case.pk, clock.case.number, clock.kind, clock.round, policy_id,
                 clock.started_at, due, warn, overdue, met_at, status, -1, owner_id, getattr(clock.unit, "pk", None))
    sink.flush()
    cases_next_due_refresh(case_type=case_content_type(clocks[0].case), case_ids=[clock.case.pk for clock in clocks])
    return sink.written


def milestones_meet(*, case: CaseRecord, kinds: Sequence[str], at: datetime) -> int:
    """Stop the clocks: met if in time; a late one stays breached, with the time it was met."""
    met = _meet(case, kinds, at)
    case_next_due_refresh(case=case)
    return met


def _meet(case: CaseRecord, kinds: Sequence[str], at: datetime) -> int:
    return Milestone.objects.open().filter(_case_filter(case), kind__in=kinds).update(
        met_at=at,
        status=Case(When(due_at__gte=at, then=Value(Milestone.Status.MET)), default=Value(Milestone.Status.BREACHED)),
    )


def milestones_close(*, case: CaseRecord, at: datetime) -> None:
    """The case is closed: the three-month clock is met (or late), every other running clock ends."""
    _meet(case, [MilestoneKind.LONG_OPEN], at)
    _end(Milestone.objects.open().filter(_case_filter(case)), at=at)
    case_next_due_refresh(case=case)


def milestones_assign_unit(*, case: CaseRecord, unit: ResponsibleUnit | None) -> None:
    """Escalations go to the unit that has the case now."""
    Milestone.objects.filter(_case_filter(case)).update(unit=unit)


def milestones_recompute(*, case: CaseRecord, case_kind: str, priority: str) -> int:
    """Priority (or policy) changed: recompute every open clock from when it started."""
    policies = list(SlaPolicy.objects.filter(case_kind=case_kind))
    calendar = WorkingCalendar()
    changed = 0
    for milestone in Milestone.objects.open().filter(_case_filter(case)).select_related("unit"):
        if milestone.kind == MilestoneKind.LONG_OPEN:
            continue
        policy = policy_pick(policies, milestone=milestone.kind, priority=priority,
                             unit_kind=getattr(milestone.unit, "kind", "") or "")
        if policy is None:
            continue
        due, warn, overdue = deadline_compute(policy=policy, started_at=milestone.started_at, calendar=calendar)
        if (due, policy.pk) != (milestone.due_at, milestone.policy_id):
            milestone.policy, milestone.due_at, milestone.warn_at, milestone.overdue_at = policy, due, warn, overdue
            milestone.save(update_fields=["policy", "due_at", "warn_at", "overdue_at"])
            changed += 1
    if changed:
        case_next_due_refresh(case=case)
    return changed


def case_clock_due(*, case: CaseRecord, kind: str) -> datetime | None:
    """When the case's current round's clock of `kind` is due: what the customer is told to expect."""
    clock = Milestone.objects.filter(_case_filter(case), kind=kind).order_by("-round").only("due_at").first()
    return clock.due_at if clock else None


def case_milestones(*, case: CaseRecord) -> QuerySet[Milestone]:
    """The current round's clocks first, then the earlier rounds' as history."""
    return Milestone.objects.filter(_case_filter(case)).order_by("-round", "due_at")


def policy_reapply(*, policy: SlaPolicy, chunk_size: int = 2000) -> int:
    """An admin changed a policy's target: move the open deadlines that follow it."""
    calendar = WorkingCalendar()
    changed = 0
    batch: list[Milestone] = []
    # A clock started before any case can have been received is a bad row from before dates were
    # bounded (it may not even be readable): left out in SQL so it cannot stop the others.
    plausible = Q(started_at__gte=timezone.make_aware(datetime.combine(earliest_date(), time.min)))
    milestones = (Milestone.objects.open().filter(plausible, policy=policy)
                  .only("case_type_id", "case_id", "started_at", "due_at"))
    for milestone in milestones.iterator(chunk_size):
        try:
            milestone.due_at, milestone.warn_at, milestone.overdue_at = deadline_compute(
                policy=policy, started_at=milestone.started_at, calendar=calendar)
        except (OverflowError, ValueError):
            log.exception("milestone %s: deadline not recomputed", milestone.pk)
            continue
        batch.append(milestone)
        if len(batch) >= chunk_size:
            changed += _move(batch)
            batch = []
    if batch:
        changed += _move(batch)
    return changed


def _move(clocks: list[Milestone]) -> int:
    """Write moved deadlines, then (once they are committed, holding no clock) their cases' columns:
    see sla/next_deadline.py on the order of locks."""
    moved = Milestone.objects.bulk_update(clocks, ["due_at", "warn_at", "overdue_at"])
    cases_next_due_refresh_of(clocks)
    return moved
