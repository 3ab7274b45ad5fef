"""The monthly closed-loop report (SPEC §7): every KPI formula in one place, computed by
database aggregation in a fixed number of queries whatever the number of complaints.

For month M: N = complaints (repair requests excluded) received in M; U = those closed
because the customer was unreachable at callback. Per responsible unit, and in total:

- 24-hour contact rate   = first contacted within 24 clock hours of receipt ÷ N
- reply timeliness rate  = unit's solution milestone met by its deadline ÷ N
- false replies          = callbacks flagged as a false reply, on complaints of M
- one-time closure rate  = closed satisfied, never reopened, every callback accepting, and resolved
                           within the resolution deadline ÷ complaints reached at callback
- monthly closure rate   = closed by the end of M (closures as unreachable excluded) ÷ (N − U)
- satisfaction rate      = complaints with a satisfied or very satisfied callback ÷ (N − U)
- over limit             = N of quality, technical and service-process complaints > the unit's monthly limit

A rate whose denominator is 0 is None, shown as "—".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from fractions import Fraction

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.models import ResponsibleUnit
from complaints.choices import Category, Channel, ClosureType, Kind
from complaints.models import Complaint
from satisfaction.models import Callback
from sla.models import Milestone, MilestoneKind

from .periods import Month

LIMITED_CATEGORIES = [Category.PRODUCT_QUALITY, Category.TECHNICAL, Category.SERVICE_PROCESS]


def rate(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator else None


@dataclass
class UnitFigures:
    unit_id: int | None
    code: str = ""
    name: str = ""
    suspended: bool = False
    limit: int = 0
    n: int = 0
    unreachable: int = 0
    contacted_24h: int = 0
    replied_on_time: int = 0
    false_replies: int = 0
    called_back: int = 0
    one_time_closed: int = 0
    closed_in_month: int = 0
    satisfied: int = 0
    limited_n: int = 0
    forum_open: int = 0

    COUNTS = ("n", "unreachable", "contacted_24h", "replied_on_time", "false_replies", "called_back",
              "one_time_closed", "closed_in_month", "satisfied", "limited_n", "forum_open")

    @property
    def reachable(self) -> int:
        return self.n - self.unreachable

    @property
    def contact_rate(self):
        return rate(self.contacted_24h, self.n)

    @property
    def reply_rate(self):
        return rate(self.replied_on_time, self.n)

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
    def over_limit(self) -> bool:
        return self.limit > 0 and self.limited_n > self.limit

    @property
    def support_refusals(self) -> list[str]:
        """Why the unit does not qualify for the month's complaint-handling support (empty: it does)."""
        reasons = []
        if self.over_limit:
            reasons.append(_("over its monthly complaint limit (%(n)d > %(limit)d)")
                           % {"n": self.limited_n, "limit": self.limit})
        if self.one_time_rate is not None and self.one_time_rate < 1:
            reasons.append(_("one-time closure rate below 100%"))
        if self.closure_rate is not None and self.closure_rate < 1:
            reasons.append(_("monthly closure rate below 100%"))
        if self.forum_open:
            reasons.append(_("%(n)d online-forum complaints not closed") % {"n": self.forum_open})
        if self.suspended:
            reasons.append(_("unit suspended"))
        return reasons

    @property
    def qualifies_for_support(self) -> bool:
        return not self.support_refusals


@dataclass
class MonthlyReport:
    month: Month
    units: list[UnitFigures]
    total: UnitFigures
    forced_closures: list[Complaint] = field(default_factory=list)
    open_over_three_months: list[Complaint] = field(default_factory=list)

    @property
    def over_limit_units(self) -> list[UnitFigures]:
        return [u for u in self.units if u.over_limit]


UNASSIGNED_LABEL = gettext_lazy("Not yet dispatched")


def _complaints_of(month: Month):
    return Complaint.objects.filter(kind=Kind.COMPLAINT, received_at__gte=month.start, received_at__lt=month.end)


def monthly_report(*, month: Month, unit_ids: list[int] | None = None, with_lists: bool = True) -> MonthlyReport:
    complaint_type = ContentType.objects.get_for_model(Complaint)
    milestones = Milestone.objects.filter(case_type=complaint_type, case_id=OuterRef("pk"))
    callbacks = Callback.objects.filter(complaint=OuterRef("pk"))
    reached = callbacks.exclude(outcome=Callback.Outcome.UNREACHABLE)
    # Neutral neither closes nor refuses.
    not_accepting = callbacks.exclude(outcome__in=[*Callback.ACCEPTING_OUTCOMES, Callback.Outcome.NEUTRAL])

    complaints = _complaints_of(month)
    if unit_ids is not None:
        complaints = complaints.filter(responsible_unit_id__in=unit_ids)
    rows = (
        complaints.annotate(
            reply_met=Exists(milestones.filter(kind=MilestoneKind.UNIT_SOLUTION, status=Milestone.Status.MET)),
            resolution_met=Exists(milestones.filter(kind=MilestoneKind.RESOLUTION, status=Milestone.Status.MET)),
            was_reached=Exists(reached),
            any_refusal=Exists(not_accepting),
            any_satisfied=Exists(callbacks.filter(outcome__in=Callback.SATISFIED_OUTCOMES)),
            false_reply_count=Subquery(
                callbacks.filter(false_reply=True).values("complaint").annotate(c=Count("pk")).values("c"),
                output_field=IntegerField()),
        )
        .values("responsible_unit")
        .annotate(
            n=Count("pk"),
            unreachable=Count("pk", filter=Q(closure_type=ClosureType.UNREACHABLE)),
            contacted_24h=Count("pk", filter=Q(first_contacted_at__lte=F("received_at") + timedelta(hours=24))),
            replied_on_time=Count("pk", filter=Q(reply_met=True)),
            called_back=Count("pk", filter=Q(was_reached=True)),
            one_time_closed=Count("pk", filter=Q(closure_type=ClosureType.SATISFIED, reopen_count=0,
                                                  any_refusal=False, resolution_met=True)),
            closed_in_month=Count("pk", filter=Q(closed_at__lt=month.end)
                                  & ~Q(closure_type=ClosureType.UNREACHABLE)),
            satisfied=Count("pk", filter=Q(any_satisfied=True)),
            limited_n=Count("pk", filter=Q(category__in=LIMITED_CATEGORIES)),
            forum_open=Count("pk", filter=Q(channel=Channel.ONLINE_FORUM)
                             & (Q(closed_at__isnull=True) | Q(closed_at__gte=month.end))),
            false_replies=Coalesce(Sum("false_reply_count"), 0),
        )
        .order_by()
    )
    units = {u.pk: u for u in ResponsibleUnit.objects.filter(pk__in=[r["responsible_unit"] for r in rows])}

    figures = []
    for row in rows:
        unit = units.get(row["responsible_unit"])
        figure = UnitFigures(
            unit_id=row["responsible_unit"],
            code=unit.code if unit else "—",
            name=unit.name if unit else str(UNASSIGNED_LABEL),
            suspended=bool(unit and unit.status == ResponsibleUnit.Status.SUSPENDED),
            limit=unit.monthly_complaint_limit if unit else 0,
            **{k: row[k] for k in UnitFigures.COUNTS},
        )
        figures.append(figure)
    figures.sort(key=lambda f: (f.unit_id is None, f.code))
    total = UnitFigures(unit_id=None, code="", name=_("Total"))
    for name in UnitFigures.COUNTS:
        setattr(total, name, sum(getattr(f, name) for f in figures))

    if not with_lists:
        return MonthlyReport(month=month, units=figures, total=total)
    forced = list(
        Complaint.objects.filter(closure_type=ClosureType.FORCED, closed_at__gte=month.start,
                                 closed_at__lt=month.end)
        .select_related("customer", "responsible_unit").order_by("closed_at")
    )
    three_months_before_end = month.shift(-3).end  # received before this and open at month end: > 3 months
    long_open = list(
        Complaint.objects.filter(kind=Kind.COMPLAINT, received_at__lt=three_months_before_end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=month.end))
        .select_related("customer", "responsible_unit").order_by("received_at")[:1000]
    )
    return MonthlyReport(month=month, units=figures, total=total, forced_closures=forced,
                         open_over_three_months=long_open)


@dataclass
class TrendPoint:
    month: Month
    total: UnitFigures


def kpi_trend(*, last: Month, months: int = 12) -> list[TrendPoint]:
    """Monthly closure, 24-hour contact and satisfaction rates (in total) for the `months` months up
    to `last`, oldest first, in one query grouped by month — the same formulas as monthly_report,
    with "closed by the end of M" read as "closed in M's month or before"."""
    first = last.shift(-(months - 1))
    tz = timezone.get_current_timezone()
    callbacks = Callback.objects.filter(complaint=OuterRef("pk"))
    rows = (
        Complaint.objects.filter(kind=Kind.COMPLAINT, received_at__gte=first.start, received_at__lt=last.end)
        .annotate(month=TruncMonth("received_at", tzinfo=tz), closed_month=TruncMonth("closed_at", tzinfo=tz),
                  any_satisfied=Exists(callbacks.filter(outcome__in=Callback.SATISFIED_OUTCOMES)))
        .values("month")
        .annotate(
            n=Count("pk"),
            unreachable=Count("pk", filter=Q(closure_type=ClosureType.UNREACHABLE)),
            contacted_24h=Count("pk", filter=Q(first_contacted_at__lte=F("received_at") + timedelta(hours=24))),
            closed_in_month=Count("pk", filter=Q(closed_month__lte=F("month"))
                                  & ~Q(closure_type=ClosureType.UNREACHABLE)),
            satisfied=Count("pk", filter=Q(any_satisfied=True)),
        )
        .order_by()
    )
    by_month = {Month.of(timezone.localtime(r["month"]).date()): r for r in rows}
    points = []
    for i in reversed(range(months)):
        month = last.shift(-i)
        row = by_month.get(month, {})
        total = UnitFigures(unit_id=None, name=_("Total"),
                            **{k: row.get(k, 0) for k in ("n", "unreachable", "contacted_24h", "closed_in_month",
                                                          "satisfied")})
        points.append(TrendPoint(month=month, total=total))
    return points
