"""Two administrators recalculating the same month at the same moment (PostgreSQL): each stores
its own version, one after the other, and neither gets an error."""

import pytest
from django.contrib.auth import get_user_model

from reports.models import MonthlyReportSnapshot
from reports.periods import Month
from reports.snapshots import report_of_month, report_recalculate

from ..complaints.test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("stored_before", [True, False])
def test_simultaneous_recalculations_store_consecutive_versions(stored_before):
    month = Month(2026, 9)
    admin = get_user_model().objects.create(username="admin")
    if stored_before:
        report_of_month(month=month)

    results = run_together(*[lambda: report_recalculate(month=month, by=admin) for _ in range(4)])

    assert not [r for r in results if isinstance(r, Exception)], results
    versions = sorted(MonthlyReportSnapshot.objects.filter(month="2026-09").values_list("version", flat=True))
    assert versions == list(range(1, len(versions) + 1))
    assert len(versions) == (5 if stored_before else len({r.version for r in results}))
