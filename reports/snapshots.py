"""A month's report does not change after the month is over: the first time a past month's report is
needed (the mail on the 1st, or else the first page or file) it is computed once and stored as
version 1 (`MonthlyReportSnapshot`); every later page, XLSX and CSV of that month is read from the
latest stored version. An administrator's recalculation stores the next version and keeps the
earlier ones. The month in progress is always computed live."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from .models import MonthlyReportSnapshot
from .monthly import CaseRow, MonthlyReport, RepairFigures, UnitFigures, monthly_report
from .periods import Month

SCHEMA = 1


def month_is_over(month: Month) -> bool:
    return month.end <= timezone.now()


def _plain(record) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in dataclasses.asdict(record).items()}


def _record(cls, data: dict[str, Any]):
    """A dataclass from stored fields: fields added since keep their defaults, fields dropped are ignored."""
    names = {f.name: f for f in dataclasses.fields(cls)}
    values = {}
    for key, value in data.items():
        if key in names:
            if key in ("received_at", "closed_at") and value:
                value = datetime.fromisoformat(value)
            values[key] = value
    return cls(**values)


def report_to_json(report: MonthlyReport) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "units": [_plain(u) for u in report.units],
        "total": _plain(report.total),
        "repairs": [_plain(r) for r in report.repairs],
        "repair_total": _plain(report.repair_total),
        "forced_closures": [_plain(c) for c in report.forced_closures],
        "open_over_three_months": [_plain(c) for c in report.open_over_three_months],
    }


def report_from_snapshot(snapshot: MonthlyReportSnapshot) -> MonthlyReport:
    data = snapshot.figures
    return MonthlyReport(
        month=Month.parse(snapshot.month),
        units=[_record(UnitFigures, u) for u in data["units"]],
        total=_record(UnitFigures, data["total"]),
        repairs=[_record(RepairFigures, r) for r in data.get("repairs", [])],
        repair_total=_record(RepairFigures, data.get("repair_total", {"unit_id": None, "is_total": True})),
        forced_closures=[_record(CaseRow, c) for c in data["forced_closures"]],
        open_over_three_months=[_record(CaseRow, c) for c in data["open_over_three_months"]],
        version=snapshot.version, computed_at=snapshot.computed_at,
    )


def _store(*, month: Month, version: int, by) -> MonthlyReportSnapshot:
    report = monthly_report(month=month)
    return MonthlyReportSnapshot.objects.create(month=str(month), version=version, computed_at=timezone.now(),
                                                triggered_by=by, figures=report_to_json(report))


def report_of_month(*, month: Month, by=None) -> MonthlyReport:
    """What the page, the files and the mail show for `month`: live while the month runs, afterwards
    the latest stored version (stored now, as version 1, if there is none yet; `by` is who caused it,
    None for the mail or the command line)."""
    if not month_is_over(month):
        return monthly_report(month=month)
    snapshot = MonthlyReportSnapshot.objects.filter(month=str(month)).order_by("-version").first()
    if snapshot is None:
        try:
            with transaction.atomic():
                snapshot = _store(month=month, version=1, by=by)
        except IntegrityError:  # someone else stored it at the same moment: theirs is the one
            snapshot = MonthlyReportSnapshot.objects.filter(month=str(month)).order_by("-version").first()
            assert snapshot is not None
    return report_from_snapshot(snapshot)


@transaction.atomic
def report_recalculate(*, month: Month, by) -> MonthlyReport:
    """An administrator's explicit recalculation of a month that is over: a new version, computed from
    the cases now; the earlier versions stay."""
    if not month_is_over(month):
        raise ValueError(f"{month} is not over: its report is computed live")
    # Two recalculations at the same instant take turns on the month's first version's row (stored
    # now if there is none): the second waits, then reads the latest number afresh and stores the
    # version after the first's — never the same number, never an error.
    first = MonthlyReportSnapshot.objects.select_for_update().filter(month=str(month), version=1).first()
    if first is None:  # never stored: this is its first version
        return report_of_month(month=month, by=by)
    latest = MonthlyReportSnapshot.objects.filter(month=str(month)).aggregate(v=Max("version"))["v"]
    return report_from_snapshot(_store(month=month, version=latest + 1, by=by))
