"""Annual unit assessment (SPEC §7): −0.5 per major complaint (at most −2); +0.5 per award
(at most +1); outstanding work up to +1; the bonus at most +2 in all. The satisfaction component
(seed 002 第十五条 "将客户满意度作为部门的考核评分依据"): the unit's satisfaction index over the surveys
answered in the year (reports/satisfaction.py) — +0.5 at 90 or more, −0.5 below 70, 0 between and
when no survey rating the unit was answered; outside the bonus cap."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Q

from casework.models import ResponsibleUnit
from complaints.choices import Kind

from .models import UnitAssessmentInput
from .periods import Month
from .satisfaction import satisfaction_index

PENALTY_PER_MAJOR, PENALTY_CAP = Decimal("0.5"), Decimal("2")
AWARD_POINTS, AWARD_CAP = Decimal("0.5"), Decimal("1")
OUTSTANDING_CAP, BONUS_CAP = Decimal("1"), Decimal("2")
# The satisfaction component: index ≥ GOOD → +0.5; index < POOR → −0.5; otherwise (or no answers) 0.
SATISFACTION_GOOD, SATISFACTION_POOR, SATISFACTION_POINTS = 90, 70, Decimal("0.5")


def satisfaction_points(index) -> Decimal:
    if index is None:
        return Decimal("0")
    if index >= SATISFACTION_GOOD:
        return SATISFACTION_POINTS
    return -SATISFACTION_POINTS if index < SATISFACTION_POOR else Decimal("0")


@dataclass
class UnitAssessment:
    unit: ResponsibleUnit
    major_complaints: int
    awards: int
    outstanding: Decimal
    # The unit's satisfaction index for the year (0–100, a Fraction), None without answered surveys.
    satisfaction_index: Fraction | None = None
    satisfaction_answers: int = 0

    @property
    def satisfaction(self) -> Decimal:
        return satisfaction_points(self.satisfaction_index)

    @property
    def penalty(self) -> Decimal:
        return min(PENALTY_PER_MAJOR * self.major_complaints, PENALTY_CAP)

    @property
    def bonus(self) -> Decimal:
        return min(min(AWARD_POINTS * self.awards, AWARD_CAP) + min(self.outstanding, OUTSTANDING_CAP), BONUS_CAP)

    @property
    def score(self) -> Decimal:
        return self.bonus - self.penalty + self.satisfaction


def annual_assessment(*, year: int) -> list[UnitAssessment]:
    start, end = Month(year, 1).start, Month(year + 1, 1).start
    # Against the unit a complaint counts against, like every monthly figure: a transfer does not
    # move a major complaint to the unit that took it over (seed 001 5.2.2.1).
    units = ResponsibleUnit.objects.annotate(
        majors=Count("complaints_counted", filter=Q(
            complaints_counted__is_major=True, complaints_counted__kind=Kind.COMPLAINT,
            complaints_counted__received_at__gte=start, complaints_counted__received_at__lt=end)),
    ).order_by("code")
    inputs = {i.unit_id: i for i in UnitAssessmentInput.objects.filter(year=year)}
    rated = {r.key: r for r in satisfaction_index(start=start, end=end, by="unit")}
    return [
        UnitAssessment(unit=u, major_complaints=u.majors,
                       awards=inputs[u.pk].awards if u.pk in inputs else 0,
                       outstanding=inputs[u.pk].outstanding if u.pk in inputs else Decimal("0"),
                       satisfaction_index=rated[u.pk].index if u.pk in rated else None,
                       satisfaction_answers=rated[u.pk].answers if u.pk in rated else 0)
        for u in units
    ]
