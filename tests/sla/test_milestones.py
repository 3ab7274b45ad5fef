"""Each complaint's clocks: started by intake and dispatch, stopped by the transitions
that satisfy them, recomputed when the priority changes."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from complaints import services
from sla.models import Milestone

from ..factories import CustomerFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def clocks(complaint):
    return {m.kind: m for m in Milestone.objects.filter(case_id=complaint.pk, case_type__model="complaint")}


def register(agent, received="2026-11-23 10:00", **extra):
    fields = dict(channel="hotline", category="service_process", subject="s", description="d")
    fields.update(extra)
    return services.complaint_register(actor=agent, customer=CustomerFactory(), received_at=at(received), **fields)


def test_intake_starts_the_clocks_of_spec_5(agent):
    complaint = register(agent)
    m = clocks(complaint)
    assert set(m) == {"first_contact", "progress_reply", "resolution", "long_open"}
    assert m["first_contact"].due_at == at("2026-11-24 10:00")  # 24 clock hours
    assert m["progress_reply"].due_at == at("2026-11-30 16:30")  # 5 working days
    assert m["resolution"].due_at == at("2026-12-07 16:30")  # 10 working days
    assert m["resolution"].overdue_at == at("2026-12-08 16:30")  # one working day later: level 2
    assert m["long_open"].due_at == at("2027-02-23 10:00")  # three months: level 3
    assert all(x.status == "pending" and x.owner == agent for x in m.values())


@pytest.mark.parametrize("priority, due", [("urgent", "2026-11-24 16:30"), ("high", "2026-11-26 16:30"),
                                           ("low", "2026-12-07 16:30")])
def test_resolution_deadline_by_priority(agent, priority, due):
    assert clocks(register(agent, priority=priority))["resolution"].due_at == at(due)


def test_repair_request_resolves_in_three_working_days(agent):
    assert clocks(register(agent, kind="repair_request"))["resolution"].due_at == at("2026-11-26 16:30")


def test_major_complaint_owes_a_written_report_in_two_working_days(agent):
    complaint = register(agent, estimated_loss=60000)
    assert clocks(complaint)["major_report"].due_at == at("2026-11-25 16:30")
    complaint = services.complaint_report_major(complaint=complaint, actor=agent, report="书面报告")
    assert clocks(complaint)["major_report"].met_at is not None


def test_priority_change_recomputes_open_clocks(agent):
    complaint = register(agent)
    services.complaint_update_details(complaint=complaint, actor=agent, changes={"priority": "urgent"})
    assert clocks(complaint)["resolution"].due_at == at("2026-11-24 16:30")


def test_contact_in_time_meets_late_contact_stays_breached(agent):
    on_time = register(agent, received=timezone.localtime().strftime("%Y-%m-%d %H:%M"))
    services.complaint_contact(complaint=on_time, actor=agent, note="已联系")
    assert clocks(on_time)["first_contact"].status == "met"

    late = register(agent, received="2026-11-01 10:00")
    services.complaint_contact(complaint=late, actor=agent, note="迟到的联系")
    first_contact = clocks(late)["first_contact"]
    assert first_contact.status == "breached" and first_contact.met_at is not None


def test_dispatch_starts_the_units_clock_providers_have_24_hours(agent, unit_a, unit_b):
    internal = register(agent, received=timezone.localtime().strftime("%Y-%m-%d %H:%M"))
    internal = services.complaint_contact(complaint=internal, actor=agent, note="x")
    before = timezone.now()
    internal = services.complaint_dispatch(complaint=internal, actor=agent, unit=unit_a)
    unit_clock = clocks(internal)["unit_solution"]
    assert unit_clock.unit == unit_a and unit_clock.policy.target == 3
    assert all(m.unit == unit_a for m in clocks(internal).values())

    provider = register(agent, received=timezone.localtime().strftime("%Y-%m-%d %H:%M"))
    provider = services.complaint_contact(complaint=provider, actor=agent, note="x")
    services.complaint_dispatch(complaint=provider, actor=agent, unit=unit_b)  # unit_b is a provider
    due = clocks(provider)["unit_solution"].due_at
    assert before + timedelta(hours=24) <= due <= timezone.now() + timedelta(hours=24)


def test_the_whole_lifecycle_meets_its_clocks_and_closure_ends_the_rest(agent, manager, handler_a, unit_a):
    c = register(agent, received=timezone.localtime().strftime("%Y-%m-%d %H:%M"))
    c = services.complaint_contact(complaint=c, actor=agent, note="x")
    c = services.complaint_dispatch(complaint=c, actor=agent, unit=unit_a)
    c = services.complaint_propose(complaint=c, actor=handler_a, root_cause="r", solution="s",
                                   resolution_type="repair")
    c = services.complaint_approve(complaint=c, actor=manager)
    c = services.complaint_customer_agrees(complaint=c, actor=agent)
    c = services.complaint_implement(complaint=c, actor=handler_a, report="done")
    assert clocks(c)["callback"].status == "pending"
    c = services.complaint_record_callback(complaint=c, actor=agent, outcome="satisfied")
    assert {k: m.status for k, m in clocks(c).items()} == {
        "first_contact": "met", "progress_reply": "met", "unit_solution": "met", "resolution": "met",
        "callback": "met", "long_open": "met",
    }


def test_forced_closure_stops_the_clocks(agent, manager):
    c = register(agent, received=timezone.localtime().strftime("%Y-%m-%d %H:%M"))
    services.complaint_force_close(complaint=c, actor=manager, reason="撤诉")
    statuses = {k: m.status for k, m in clocks(c).items()}
    assert statuses.pop("long_open") == "met"
    assert set(statuses.values()) == {"cancelled"}


def test_editing_a_policy_in_the_admin_moves_open_deadlines(agent, admin_client_role,
                                                            django_capture_on_commit_callbacks):
    from sla.models import SlaPolicy

    complaint = register(agent)
    policy = SlaPolicy.objects.get(case_kind="complaint", milestone="resolution", priority="")
    data = {"case_kind": "complaint", "milestone": "resolution", "priority": "", "unit_kind": "",
            "target": 5, "target_unit": "working_days"}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_role.post(f"/admin/sla/slapolicy/{policy.pk}/change/", data)
    assert response.status_code == 302
    assert clocks(complaint)["resolution"].due_at == at("2026-11-30 16:30")


@pytest.mark.parametrize("url", ["/admin/sla/calendarday/", "/admin/sla/slapolicy/", "/admin/sla/milestone/",
                                 "/admin/sla/escalation/", "/admin/casework/notification/",
                                 "/admin/sla/calendarday/import/"])
def test_sla_admin_pages(admin_client_role, url):
    assert admin_client_role.get(url).status_code == 200
