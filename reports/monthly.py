"""The monthly closed-loop report (seed 001 400抱怨处理闭环管理办法 3.6–3.11, 网络抱怨 6.4, 报修 6.2.9,
抱怨处理费用支持管理办法 5.1): every KPI formula in one place, computed by database aggregation in
a fixed number of queries whatever the number of complaints. docs/reports.md states each formula.

For month M: N = complaints (repair requests excluded) received in M, counted against the unit
they were first dispatched to (`counted_unit`, kept through transfers). Everything that happens
after receipt — first contact, the unit's reply, callbacks, closures — counts only if it happened
before the end of M (the cut-off), so a month's figures do not move after the month is over.
U = complaints of N closed as customer unreachable by the cut-off. Per unit, and in total:

- 24-hour contact rate   = first contacted within 24 clock hours of receipt ÷ N
- reply timeliness rate  = first round's unit-solution clock met in time ÷ N
- false replies          = complaints of N with a callback flagged as a false reply (3.8)
- one-time closure rate  = closed by a callback within the closure deadline (the first round's
                           resolution clock's due time), never reopened ÷ complaints reached at a
                           callback (3.9)
- monthly closure rate   = closed (closures as unreachable excluded) ÷ (N − U) (3.10)
- satisfaction rate      = complaints whose final reached callback is satisfied or very satisfied
                           (and not a false reply) ÷ (N − U) (3.11, 7.2)
- online-forum closure   = forum complaints of M and those carried over open from earlier months
                           closed by the cut-off ÷ both (网络抱怨 6.4, support criterion 5.1.4)
- over limit             = N of quality, technical and service-process complaints > the unit's
                           monthly limit as it stood at the end of M (3.5, 5.1.1)

Repair requests (报修, 6.2.9) have their own figures: 24-hour contact, reply timeliness (the
resolution clock of 3 working days met in time) and closure; they are not part of the support
verdict (6.2.10). A rate whose denominator is 0 is None, shown as "—".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fractions import Fraction

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.models import ResponsibleUnit
from complaints.choices import Category, Channel, ClosureType, Kind, State
from complaints.models import Complaint
from satisfaction.models import Callback
from sla.models import Milestone, MilestoneKind

from .models import NegativeMediaExposure, UnitTerms
from .periods import Month

LIMITED_CATEGORIES = [Category.PRODUCT_QUALITY, Category.TECHNICAL, Category.SERVICE_PROCESS]
# The first round with the unit: its clocks are the ones the KPIs judge (later rounds are rework).
FIRST_ROUND = 0
OUT_OF_SERVICE = [ResponsibleUnit.Status.TRANSITION, ResponsibleUnit.Status.SUSPENDED]


def rate(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator else None


UNASSIGNED_LABEL = gettext_lazy("Not yet dispatched")


@dataclass
class ReceivedFigures:
    """What complaints and repair requests share: the cases of a unit (or the total, or the "not yet
    dispatched" row) received in the month, and their contact and reply rates."""

    unit_id: int | None
    code: str = ""
    name: str = ""
    is_total: bool = False
    n: int = 0
    unreachable: int = 0
    contacted_24h: int = 0
    replied_on_time: int = 0

    @property
    def label(self) -> str:
        if self.is_total:
            return _("Total")
        return self.name if self.unit_id is not None else str(UNASSIGNED_LABEL)

    @property
    def reachable(self) -> int:
        return self.n - self.unreachable

    @property
    def contact_rate(self):
        return rate(self.contacted_24h, self.n)

    @property
    def reply_rate(self):
        return rate(self.replied_on_time, self.n)


@dataclass
class UnitFigures(ReceivedFigures):
    # The unit's terms in the month (reports.UnitTerms) and the manager's records of it.
    limit: int = 0
    status_at_start: str = ""
    suspended: bool = False
    in_transition: bool = False
    media_exposures: int = 0
    false_replies: int = 0
    called_back: int = 0
    one_time_closed: int = 0
    closed_in_month: int = 0
    satisfied: int = 0
    limited_n: int = 0
    forum_n: int = 0
    forum_closed: int = 0
    carried_forum: int = 0
    carried_forum_closed: int = 0

    COUNTS = ("n", "unreachable", "contacted_24h", "replied_on_time", "false_replies", "called_back",
              "one_time_closed", "closed_in_month", "satisfied", "limited_n", "forum_n", "forum_closed")
    CARRIED = ("carried_forum", "carried_forum_closed")

    @property
    def one_time_rate(self):
        return rate(self.one_time_closed, self.called_back)

    @property
    def closure_rate(self):
        return rate(self.closed_in_month, self.reachable)

    @property
    def satisfaction_rate(self):
        return rate(self.satisfied, self.reachable)

    @property
    def forum_open(self) -> int:
        """Online-forum complaints open at the end of the month: the month's and those carried over."""
        return self.forum_n - self.forum_closed + self.carried_forum - self.carried_forum_closed

    @property
    def forum_closure_rate(self):
        return rate(self.forum_closed + self.carried_forum_closed, self.forum_n + self.carried_forum)

    @property
    def over_limit(self) -> bool:
        return self.limit > 0 and self.limited_n > self.limit

    @property
    def support_refusals(self) -> list[str]:
        """Which of the support criteria (seed 001 抱怨处理费用支持管理办法 5.1.1–5.1.6) the unit failed
        this month, each with its clause number; empty: it qualifies."""
        reasons = []
        if self.over_limit:
            reasons.append("5.1.1 " + _("over its monthly complaint limit (%(n)d > %(limit)d)")
                           % {"n": self.limited_n, "limit": self.limit})
        if self.one_time_rate is not None and self.one_time_rate < 1:
            reasons.append("5.1.2 " + _("one-time closure rate below 100%"))
        if self.closure_rate is not None and self.closure_rate < 1:
            reasons.append("5.1.3 " + _("monthly closure rate below 100%"))
        if self.forum_open:
            reasons.append("5.1.4 " + _("%(n)d online-forum complaints not closed") % {"n": self.forum_open})
        if self.media_exposures:
            reasons.append("5.1.5 " + _("negative media exposure in the month"))
        if self.suspended or self.in_transition:
            reasons.append("5.1.6 " + _("in transition service or suspended in the month"))
        return reasons

    @property
    def qualifies_for_support(self) -> bool:
        return not self.support_refusals


@dataclass
class RepairFigures(ReceivedFigures):
    """Repair requests 报修 (seed 001 6.2.9) of a unit: reply = the resolution clock met in time."""

    closed: int = 0

    COUNTS = ("n", "contacted_24h", "replied_on_time", "unreachable", "closed")

    @property
    def closure_rate(self):
        return rate(self.closed, self.reachable)


@dataclass
class CaseRow:
    """One complaint of the report's lists, as the report shows it (and a snapshot keeps it)."""

    number: str
    subject: str
    received_at: datetime
    customer_name: str
    customer_phone: str
    unit_name: str
    category: str
    state: str
    closed_at: datetime | None
    closure_reason: str

    @property
    def category_label(self) -> str:
        return str(Category(self.category).label) if self.category in Category.values else self.category

    @property
    def state_label(self) -> str:
        return str(State(self.state).label) if self.state in State.values else self.state

    @classmethod
    def of(cls, complaint: Complaint) -> CaseRow:
        return cls(number=complaint.number, subject=complaint.subject, received_at=complaint.received_at,
                   customer_name=complaint.customer.name, customer_phone=complaint.customer.phone,
                   unit_name=complaint.responsible_unit.name if complaint.responsible_unit else "",
                   category=complaint.category, state=complaint.state, closed_at=complaint.closed_at,
                   closure_reason=complaint.closure_reason)


@dataclass
class MonthlyReport:
    month: Month
    units: list[UnitFigures]
    total: UnitFigures
    repairs: list[RepairFigures] = field(default_factory=list)
    repair_total: RepairFigures = field(default_factory=lambda: RepairFigures(unit_id=None, is_total=True))
    forced_closures: list[CaseRow] = field(default_factory=list)
    open_over_three_months: list[CaseRow] = field(default_factory=list)
    # A stored version (reports.MonthlyReportSnapshot) or, both None, computed live now.
    version: int | None = None
    computed_at: datetime | None = None

    @property
    def over_limit_units(self) -> list[UnitFigures]:
        return [u for u in self.units if u.over_limit]

    @property
    def carried_forum_units(self) -> list[UnitFigures]:
        return [u for u in self.units if u.carried_forum]


FINAL_SATISFIED, FINAL_OTHER = 1, 0


def _complaint_facts(complaints: QuerySet[Complaint], cutoff) -> QuerySet[Complaint]:
    """Each complaint with what the KPIs ask of it, as it stood at `cutoff` (an expression: the end
    of its report month). The one definition of "replied in time", "reached at a callback", "false
    reply", "final result" and "closure deadline", shared by the monthly report and the trend."""
    complaint_type = ContentType.objects.get_for_model(Complaint)
    first_round = Milestone.objects.filter(case_type=complaint_type, case_id=OuterRef("pk"), round=FIRST_ROUND)
    callbacks = Callback.objects.filter(complaint=OuterRef("pk"), called_at__lt=OuterRef("cutoff"))
    reached = callbacks.exclude(outcome=Callback.Outcome.UNREACHABLE)
    final = reached.order_by("-called_at", "-pk")
    return complaints.annotate(
        cutoff=cutoff,
        reply_met=Exists(first_round.filter(kind=MilestoneKind.UNIT_SOLUTION, status=Milestone.Status.MET,
                                            met_at__lt=OuterRef("cutoff"))),
        closure_due=Subquery(first_round.filter(kind=MilestoneKind.RESOLUTION).values("due_at")[:1],
                             output_field=DateTimeField()),
        any_false_reply=Exists(callbacks.filter(false_reply=True)),
        # One look at the final result answers both "reached at all" (it exists) and "satisfied".
        final_result=Subquery(final.annotate(result=Case(
            When(Q(outcome__in=Callback.SATISFIED_OUTCOMES, false_reply=False), then=Value(FINAL_SATISFIED)),
            default=Value(FINAL_OTHER))).values("result")[:1]),
    )


def _closed_by_cutoff() -> Q:
    return Q(closed_at__lt=F("cutoff"))


def _unreachable_by_cutoff() -> Q:
    return Q(closure_type=ClosureType.UNREACHABLE) & _closed_by_cutoff()


def _kpi_counts() -> dict:
    """The conditional counts over annotated complaints (see _complaint_facts)."""
    return {
        "n": Count("pk"),
        "unreachable": Count("pk", filter=_unreachable_by_cutoff()),
        "contacted_24h": Count("pk", filter=Q(first_contacted_at__lte=F("received_at") + timedelta(hours=24),
                                              first_contacted_at__lt=F("cutoff"))),
        "replied_on_time": Count("pk", filter=Q(reply_met=True)),
        "false_replies": Count("pk", filter=Q(any_false_reply=True)),
        "called_back": Count("pk", filter=Q(final_result__isnull=False)),
        # Never reopened: a reopening callback (dissatisfied, false reply) counts in reopen_count, and a
        # case closed by the cut-off cannot be reopened after it (closed is final).
        "one_time_closed": Count("pk", filter=_closed_by_cutoff() & Q(
            closure_type=ClosureType.SATISFIED, closed_at__lte=F("closure_due"), reopen_count=0,
            final_result__isnull=False)),
        "closed_in_month": Count("pk", filter=_closed_by_cutoff() & ~Q(closure_type=ClosureType.UNREACHABLE)),
        "satisfied": Count("pk", filter=Q(final_result=FINAL_SATISFIED)
                           & ~_unreachable_by_cutoff()),
        "limited_n": Count("pk", filter=Q(category__in=LIMITED_CATEGORIES)),
        "forum_n": Count("pk", filter=Q(channel=Channel.ONLINE_FORUM)),
        "forum_closed": Count("pk", filter=Q(channel=Channel.ONLINE_FORUM) & _closed_by_cutoff()),
    }


def _received_in(month: Month, kind: str) -> QuerySet[Complaint]:
    return Complaint.objects.filter(kind=kind, received_at__gte=month.start, received_at__lt=month.end)


def _month_end(month: Month) -> Value:
    return Value(month.end, output_field=DateTimeField())


def _unit_terms(month: Month, unit_ids: set[int]) -> dict[int, ResponsibleUnit]:
    """The units of the report with their terms in M, in one query: the limit in force at the end of
    M, the status at its start, whether a status change in M put the unit out of service, and the
    negative media exposures recorded for M. Before its first recorded change a unit's terms are
    its earliest recorded ones (or, with none, its present ones)."""
    terms = UnitTerms.objects.filter(unit=OuterRef("pk"))
    earliest = terms.order_by("valid_from", "pk")

    def as_of(moment, column):
        return Subquery(terms.filter(valid_from__lt=moment).order_by("-valid_from", "-pk").values(column)[:1])

    exposures = NegativeMediaExposure.objects.filter(unit=OuterRef("pk"), date__gte=month.start.date(),
                                                     date__lt=month.end.date())
    changes_in_month = terms.filter(valid_from__gte=month.start, valid_from__lt=month.end)
    units = ResponsibleUnit.objects.filter(Q(pk__in=unit_ids) | Exists(exposures)).annotate(
        limit_then=Coalesce(as_of(month.end, "monthly_complaint_limit"),
                            Subquery(earliest.values("monthly_complaint_limit")[:1]), F("monthly_complaint_limit")),
        status_then=Coalesce(as_of(month.start, "status"), Subquery(earliest.values("status")[:1]), F("status")),
        suspended_in_month=Exists(changes_in_month.filter(status=ResponsibleUnit.Status.SUSPENDED)),
        transition_in_month=Exists(changes_in_month.filter(status=ResponsibleUnit.Status.TRANSITION)),
        exposures=Coalesce(Subquery(exposures.values("unit").annotate(c=Count("pk")).values("c"),
                                    output_field=IntegerField()), 0),
    )
    return {u.pk: u for u in units}


def _unit_figures(unit_id: int | None, unit: ResponsibleUnit | None) -> UnitFigures:
    if unit is None:
        return UnitFigures(unit_id=None, code="—")  # not yet dispatched
    return UnitFigures(
        unit_id=unit_id, code=unit.code, name=unit.name, limit=unit.limit_then, status_at_start=unit.status_then,
        suspended=unit.status_then == ResponsibleUnit.Status.SUSPENDED or unit.suspended_in_month,
        in_transition=unit.status_then == ResponsibleUnit.Status.TRANSITION or unit.transition_in_month,
        media_exposures=unit.exposures,
    )


def _sorted(figures):
    return sorted(figures, key=lambda f: (f.unit_id is None, f.code))


def _total(cls, figures, counts):
    total = cls(unit_id=None, is_total=True)
    for name in counts:
        setattr(total, name, sum(getattr(f, name) for f in figures))
    return total


def monthly_report(*, month: Month, unit_ids: list[int] | None = None, with_lists: bool = True) -> MonthlyReport:
    """Month M's report computed now from the cases (reports.snapshots keeps what it was)."""
    cutoff = _month_end(month)
    complaints = _received_in(month, Kind.COMPLAINT)
    carried = Complaint.objects.filter(kind=Kind.COMPLAINT, channel=Channel.ONLINE_FORUM, received_at__lt=month.start)
    carried = carried.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=month.start))
    repairs = _received_in(month, Kind.REPAIR_REQUEST)
    if unit_ids is not None:
        complaints, carried, repairs = (qs.filter(counted_unit_id__in=unit_ids)
                                        for qs in (complaints, carried, repairs))

    rows = list(_complaint_facts(complaints, cutoff).values("counted_unit").annotate(**_kpi_counts()).order_by())
    carried_rows = list(carried.values("counted_unit").annotate(
        carried_forum=Count("pk"), carried_forum_closed=Count("pk", filter=Q(closed_at__lt=month.end))).order_by())
    counts = _kpi_counts()
    # A repair request's reply is its resolution clock (3 working days, seed 001 6.2.7) met in time.
    repair_rows = list(
        repairs.annotate(cutoff=cutoff, resolution_met=Exists(Milestone.objects.filter(
            case_type=ContentType.objects.get_for_model(Complaint), case_id=OuterRef("pk"), round=FIRST_ROUND,
            kind=MilestoneKind.RESOLUTION, status=Milestone.Status.MET, met_at__lt=OuterRef("cutoff"))))
        .values("counted_unit")
        .annotate(n=counts["n"], contacted_24h=counts["contacted_24h"],
                  replied_on_time=Count("pk", filter=Q(resolution_met=True)),
                  unreachable=counts["unreachable"], closed=counts["closed_in_month"])
        .order_by()
    )
    complaint_unit_ids = {r["counted_unit"] for r in rows + carried_rows}
    wanted = {i for i in complaint_unit_ids | {r["counted_unit"] for r in repair_rows} if i is not None}
    units = _unit_terms(month, wanted)
    if unit_ids is not None:
        units = {pk: u for pk, u in units.items() if pk in unit_ids}

    figures: dict[int | None, UnitFigures] = {}
    for unit_id in complaint_unit_ids | {pk for pk, u in units.items() if u.exposures}:
        figures[unit_id] = _unit_figures(unit_id, units.get(unit_id) if unit_id is not None else None)
    for row in rows:
        for name in UnitFigures.COUNTS:
            setattr(figures[row["counted_unit"]], name, row[name])
    for row in carried_rows:
        for name in UnitFigures.CARRIED:
            setattr(figures[row["counted_unit"]], name, row[name])
    unit_figures = _sorted(figures.values())

    repair_figures = []
    for row in repair_rows:
        unit = units.get(row["counted_unit"])
        repair_figures.append(RepairFigures(unit_id=row["counted_unit"], code=unit.code if unit else "—",
                                            name=unit.name if unit else "",
                                            **{k: row[k] for k in RepairFigures.COUNTS}))
    repair_figures = _sorted(repair_figures)

    report = MonthlyReport(
        month=month, units=unit_figures,
        total=_total(UnitFigures, unit_figures, UnitFigures.COUNTS + UnitFigures.CARRIED),
        repairs=repair_figures, repair_total=_total(RepairFigures, repair_figures, RepairFigures.COUNTS))
    if not with_lists:
        return report
    report.forced_closures = [CaseRow.of(c) for c in (
        Complaint.objects.filter(closure_type=ClosureType.FORCED, closed_at__gte=month.start, closed_at__lt=month.end)
        .select_related("customer", "responsible_unit").order_by("closed_at"))]
    three_months_before_end = month.shift(-3).end  # received before this and open at month end: > 3 months
    report.open_over_three_months = [CaseRow.of(c) for c in (
        Complaint.objects.filter(kind=Kind.COMPLAINT, received_at__lt=three_months_before_end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=month.end))
        .select_related("customer", "responsible_unit").order_by("received_at")[:1000])]
    return report


@dataclass
class TrendPoint:
    month: Month
    total: UnitFigures


def kpi_trend(*, last: Month, months: int = 12) -> list[TrendPoint]:
    """Monthly closure, 24-hour contact and satisfaction rates (in total) for the `months` months up
    to `last`, oldest first, in one query: the same facts and counts as monthly_report, each
    complaint judged at the end of the month it was received in."""
    periods = [last.shift(-i) for i in reversed(range(months))]
    month_end = Case(*[When(received_at__gte=m.start, received_at__lt=m.end, then=Value(m.end)) for m in periods],
                     output_field=DateTimeField())
    counts = _kpi_counts()
    complaints = Complaint.objects.filter(kind=Kind.COMPLAINT, received_at__gte=periods[0].start,
                                          received_at__lt=last.end)
    rows = (
        _complaint_facts(complaints, month_end)
        .values("cutoff")
        .annotate(**{k: counts[k] for k in ("n", "unreachable", "contacted_24h", "closed_in_month", "satisfied")})
        .order_by()
    )
    by_end = {r["cutoff"]: r for r in rows}
    points = []
    for month in periods:
        row = next((r for end, r in by_end.items() if end == month.end), {})
        total = UnitFigures(unit_id=None, is_total=True,
                            **{k: row.get(k, 0) for k in ("n", "unreachable", "contacted_24h", "closed_in_month",
                                                          "satisfied")})
        points.append(TrendPoint(month=month, total=total))
    return points
