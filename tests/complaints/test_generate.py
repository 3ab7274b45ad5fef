"""generate_cases makes plausible data the rest of the system can read."""

from django.core.management import call_command
from django.db.models import Count

from complaints.models import Complaint
from reports.monthly import monthly_report
from reports.periods import Month
from satisfaction.models import Callback
from sla.models import Milestone


def test_generate_cases_spreads_states_and_keeps_numbers_unique(db, capsys):
    call_command("generate_cases", "--complaints", "600", "--months", "6", "--seed", "7")
    assert Complaint.objects.count() == 600
    states = dict(Complaint.objects.values_list("state").annotate(n=Count("pk")))
    assert states["closed"] > 300 and len(states) >= 6
    closures = set(Complaint.objects.exclude(closure_type="").values_list("closure_type", flat=True))
    assert closures == {"satisfied", "forced", "invalid", "unreachable"}
    assert Complaint.objects.values("number").distinct().count() == 600
    statuses = set(Milestone.objects.values_list("status", flat=True))
    assert {"met", "breached", "cancelled"} <= statuses
    assert Callback.objects.filter(outcome="unreachable").exists()
    report = monthly_report(month=Month.current().shift(-2))
    assert report.total.n > 0 and report.total.closure_rate is not None
    # The same seed gives the same data.
    first = list(Complaint.objects.order_by("pk").values_list("received_at", "state")[:20])
    Milestone.objects.all().delete()
    Complaint.objects.all().delete()
    call_command("generate_cases", "--complaints", "600", "--months", "6", "--seed", "7")
    again = list(Complaint.objects.order_by("pk").values_list("received_at", "state")[:20])
    assert [s for _, s in first] == [s for _, s in again]
