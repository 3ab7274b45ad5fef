"""Quarterly complaint analysis (SPEC §7): by category, channel and root cause, and repeats."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from complaints.choices import Category, Channel, Kind
from complaints.models import Complaint

from .periods import Quarter

TOP_ROOT_CAUSES = 10


@dataclass
class QuarterlyAnalysis:
    quarter: Quarter
    total: int
    by_category: list[tuple[str, int]]
    by_channel: list[tuple[str, int]]
    top_root_causes: list[tuple[str, int]]
    repeats: int

    @property
    def repeat_rate(self):
        from .monthly import rate

        return rate(self.repeats, self.total)


def quarterly_analysis(*, quarter: Quarter) -> QuarterlyAnalysis:
    complaints = Complaint.objects.filter(kind=Kind.COMPLAINT, received_at__gte=quarter.start,
                                          received_at__lt=quarter.end)

    def counted(field, labels):
        rows = complaints.values(field).annotate(n=Count("pk")).order_by("-n", field)
        return [(labels.get(r[field], r[field] or "—"), r["n"]) for r in rows]

    causes = (complaints.exclude(root_cause="").values("root_cause").annotate(n=Count("pk"))
              .order_by("-n", "root_cause")[:TOP_ROOT_CAUSES])
    return QuarterlyAnalysis(
        quarter=quarter,
        total=complaints.count(),
        by_category=counted("category", dict(Category.choices)),
        by_channel=counted("channel", dict(Channel.choices)),
        top_root_causes=[(r["root_cause"], r["n"]) for r in causes],
        repeats=complaints.filter(repeat_of__isnull=False).count(),
    )
