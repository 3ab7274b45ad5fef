"""`seed_demo`'s year of history: what a newcomer sees on the first look after `make run` — a
dashboard trend with twelve months, a past month's report with figures for several units and
every kind of closure, proposal KPIs — and an SLA sweep afterwards that leaves the closed history
alone. A second run adds nothing."""

import time

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client

from complaints.choices import ClosureType
from complaints.models import Complaint
from proposals.models import Proposal, ProposalTarget
from reports.periods import HalfYear, Month
from satisfaction.models import Callback
from sla.models import Escalation, Milestone
from sla.sweep import sla_sweep


def test_a_year_of_history_fills_the_dashboard_the_reports_and_the_proposal_kpis(db, capsys):
    started = time.monotonic()
    call_command("seed_demo")
    assert time.monotonic() - started < 60
    complaints, proposals = Complaint.objects.count(), Proposal.objects.count()
    assert complaints > 3000 and proposals > 300
    call_command("seed_demo")  # a second run writes nothing new
    assert (Complaint.objects.count(), Proposal.objects.count()) == (complaints, proposals)
    assert "A year of history: 3000 complaints" in capsys.readouterr().out
    manager_client = Client()
    manager_client.force_login(get_user_model().objects.get(username="manager"))  # the demo's manager

    dashboard = manager_client.get("/reports/")
    series = dashboard.context["series"]
    assert len(series["labels"]) == 12
    assert all(value is not None and value > 0 for value in series["closure"]), series
    assert all(value is not None for value in series["contact"] + series["satisfaction"]), series

    past = Month.current().shift(-2)
    report = manager_client.get(f"/reports/monthly/?month={past}").context["report"]
    units = [u for u in report.units if u.unit_id is not None]
    assert len([u for u in units if u.n and u.closed_in_month and u.one_time_closed]) >= 5
    assert report.total.n > 150 and report.total.unreachable > 0 and report.total.false_replies >= 0
    assert report.repair_total.n > 0  # repair requests too
    closures = set(Complaint.objects.filter(received_at__gte=past.start, received_at__lt=past.end)
                   .values_list("closure_type", flat=True))
    assert set(ClosureType.values) <= closures
    # Every outcome over the year: reopened and closed, a false reply, still open and overdue.
    assert Complaint.objects.filter(reopen_count__gt=0, closure_type=ClosureType.SATISFIED).exists()
    assert Callback.objects.filter(false_reply=True).exists()
    assert Complaint.objects.open().filter(received_at__lt=Month.current().start).exists()
    assert Milestone.objects.open().filter(status="breached").exists()

    kpis = manager_client.get(f"/reports/proposals/?half={HalfYear.of(past.start.date())}").context["kpis"]
    assert kpis.total > 0 and kpis.decided > 0 and kpis.adopted > 0 and kpis.implemented > 0
    assert kpis.cost_reduction > 0 and kpis.target is not None
    assert ProposalTarget.objects.count() >= 2

    closed = Milestone.objects.filter(case_type=ContentType.objects.get_for_model(Complaint),
                                      case_id__in=Complaint.objects.filter(state="closed").values("pk"))
    assert closed.count() > 10000 and not closed.open().exists()
    escalations = Escalation.objects.count()
    sla_sweep()
    assert Escalation.objects.count() > escalations  # the open, overdue ones are escalated
    assert not Escalation.objects.filter(milestone__in=closed.values("pk")).exists()
