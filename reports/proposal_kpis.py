"""Proposal KPIs for a half-year (SPEC §4, §7), by database aggregation in a fixed number
of queries. The population is the proposals received in the period (Asia/Shanghai).

- total: proposals received; archived ones included (they were collected).
- decided / adopted: the customer has been told the unit's decision (a decision not yet fed back
  can still be sent back by the manager).
- adoption (conversion) rate: adopted ÷ decided.
- feedback timeliness: feedback clocks met in time ÷ feedback clocks that have run out (met, or past
  their due time at `now`); clocks still running and archived proposals' clocks are left out.
- contribution per customer: cost reduction achieved (implemented proposals) ÷ customers who proposed.
- satisfaction with the handling: very satisfied + satisfied ÷ customers asked at feedback.
- against the half-year's target (ProposalTarget): collected and adopted.
A rate with a zero denominator is None, shown as "—".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone

from proposals.choices import SATISFIED, Category, Decision, State
from proposals.models import Proposal, ProposalTarget
from sla.models import Milestone, MilestoneKind

from .monthly import rate
from .periods import HalfYear

RANKING_SIZE = 20


@dataclass
class CustomerContribution:
    customer_id: int
    name: str
    organisation: str
    proposals: int
    adopted: int
    cost_reduction: Decimal


@dataclass
class ProposalKpis:
    period: HalfYear
    total: int
    archived: int
    decided: int
    adopted: int
    implemented: int
    feedback_on_time: int
    feedback_due: int
    customers: int
    cost_reduction: Decimal
    asked: int
    satisfied: int
    target: ProposalTarget | None
    by_category: list[tuple[str, int, int]] = field(default_factory=list)
    ranking: list[CustomerContribution] = field(default_factory=list)

    @property
    def adoption_rate(self) -> Fraction | None:
        return rate(self.adopted, self.decided)

    @property
    def feedback_timeliness(self) -> Fraction | None:
        return rate(self.feedback_on_time, self.feedback_due)

    @property
    def satisfaction_rate(self) -> Fraction | None:
        return rate(self.satisfied, self.asked)

    @property
    def contribution_per_customer(self) -> Decimal | None:
        if not self.customers:
            return None
        return (self.cost_reduction / self.customers).quantize(Decimal("0.01"))

    @property
    def collected_vs_target(self) -> Fraction | None:
        return rate(self.total, self.target.target_count) if self.target else None

    @property
    def adopted_vs_target(self) -> Fraction | None:
        return rate(self.adopted, self.target.target_adopted) if self.target else None


def proposal_kpis(*, period: HalfYear, now=None) -> ProposalKpis:
    now = now or timezone.now()
    proposals = Proposal.objects.filter(received_at__gte=period.start, received_at__lt=period.end)
    feedback_clock = Milestone.objects.filter(
        case_type=ContentType.objects.get_for_model(Proposal), case_id=OuterRef("pk"),
        kind=MilestoneKind.PROPOSAL_FEEDBACK)
    told = Q(feedback_at__isnull=False)
    adopted = told & Q(decision=Decision.ADOPTED)
    totals = proposals.annotate(
        feedback_in_time=Exists(feedback_clock.filter(status=Milestone.Status.MET)),
        feedback_ran_out=Exists(feedback_clock.exclude(status=Milestone.Status.CANCELLED)
                                .filter(Q(met_at__isnull=False) | Q(due_at__lte=now))),
    ).aggregate(
        total=Count("pk"),
        archived=Count("pk", filter=Q(state=State.ARCHIVED)),
        decided=Count("pk", filter=told & ~Q(decision="")),
        adopted=Count("pk", filter=adopted),
        implemented=Count("pk", filter=Q(implemented_at__isnull=False)),
        feedback_on_time=Count("pk", filter=Q(feedback_in_time=True)),
        feedback_due=Count("pk", filter=Q(feedback_ran_out=True)),
        customers=Count("customer", distinct=True),
        cost_reduction=Sum("cost_reduction", filter=Q(implemented_at__isnull=False)),
        asked=Count("pk", filter=~Q(handling_satisfaction="")),
        satisfied=Count("pk", filter=Q(handling_satisfaction__in=SATISFIED)),
    )
    labels = dict(Category.choices)
    by_category = [
        (labels.get(row["category"], row["category"]), row["n"], row["adopted"])
        for row in proposals.values("category").annotate(n=Count("pk"), adopted=Count("pk", filter=adopted))
        .order_by("-n", "category")
    ]
    ranking = [
        CustomerContribution(customer_id=row["customer_id"], name=row["customer__name"],
                             organisation=row["customer__organisation"], proposals=row["n"],
                             adopted=row["adopted"], cost_reduction=row["saving"] or Decimal("0"))
        for row in proposals.values("customer_id", "customer__name", "customer__organisation")
        .annotate(n=Count("pk"), adopted=Count("pk", filter=adopted),
                  saving=Sum("cost_reduction", filter=Q(implemented_at__isnull=False)))
        .order_by(F("saving").desc(nulls_last=True), "-n", "customer_id")[:RANKING_SIZE]
    ]
    return ProposalKpis(
        period=period, **{k: v for k, v in totals.items() if k != "cost_reduction"},
        cost_reduction=totals["cost_reduction"] or Decimal("0"),
        target=ProposalTarget.objects.filter(year=period.year, half=period.half).first(),
        by_category=by_category, ranking=ranking,
    )
