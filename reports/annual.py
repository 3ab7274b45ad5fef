"""Annual unit assessment (SPEC §7): −0.5 per major complaint (at most −2); +0.5 per award
(at most +1); outstanding work up to +1; the bonus at most +2 in all."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from casework.models import ResponsibleUnit
from complaints.choices import Kind

from .models import UnitAssessmentInput
from .periods import Month

PENALTY_PER_MAJOR, PENALTY_CAP = Decimal("0.5"), Decimal("2")
AWARD_POINTS, AWARD_CAP = Decimal("0.5"), Decimal("1")
OUTSTANDING_CAP, BONUS_CAP = Decimal("1"), Decimal("2")


@dataclass
class UnitAssessment:
    unit: ResponsibleUnit
    major_complaints: int
    awards: int
    outstanding: Decimal

    @property
    def penalty(self) -> Decimal:
        return min(PENALTY_PER_MAJOR * self.major_complaints, PENALTY_CAP)

    @property
    def bonus(self) -> Decimal:
        return min(min(AWARD_POINTS * self.awards, AWARD_CAP) + min(self.outstanding, OUTSTANDING_CAP), BONUS_CAP)

    @property
    def score(self) -> Decimal:
        return self.bonus - self.penalty


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
    return [
        UnitAssessment(unit=u, major_complaints=u.majors,
                       awards=inputs[u.pk].awards if u.pk in inputs else 0,
                       outstanding=inputs[u.pk].outstanding if u.pk in inputs else Decimal("0"))
        for u in units
    ]
