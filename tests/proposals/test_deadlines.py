"""The proposal feedback deadline (SPEC §4, §5): 10 working days, urgent 3, extended once
to 15; met when the customer is told; escalated by the same sweep as complaints."""

from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from casework.models import CaseEvent, Notification
from proposals.models import Proposal
from sla.calendar import WorkingCalendar
from sla.deadlines import add_working_days
from sla.models import Milestone
from sla.sweep import sla_sweep

from .helpers import post_action, register, reload

SHANGHAI = timezone.get_fixed_timezone(8 * 60)


def at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def feedback_clock(proposal) -> Milestone:
    return Milestone.objects.get(case_type__model="proposal", case_id=proposal.pk, kind="proposal_feedback")


@pytest.mark.parametrize(("priority", "due"), [
    ("normal", at(2026, 11, 16, 16, 30)),   # received Mon 2 Nov 10:00: day 0, then 10 working days
    ("urgent", at(2026, 11, 5, 16, 30)),
])
def test_feedback_is_due_in_working_days_by_priority(agent_client, priority, due):
    register(agent_client, priority=priority, received_at="2026-11-02T10:00")
    assert feedback_clock(Proposal.objects.get()).due_at == due


def test_the_manager_extends_a_complex_proposal_once_to_15_working_days(agent_client, manager_client):
    register(agent_client)
    proposal = Proposal.objects.get()
    ten_days = feedback_clock(proposal).due_at
    assert post_action(agent_client, proposal, "extend", reason="x").status_code == 403

    assert post_action(manager_client, proposal, "extend", reason="涉及多个部门，较复杂").status_code == 302
    assert reload(proposal).extended is True
    extended = feedback_clock(proposal).due_at
    assert extended == add_working_days(proposal.received_at, 15, WorkingCalendar()) and extended > ten_days

    # Once only: no longer offered, and a second try changes nothing.
    page = manager_client.get(f"/proposals/{proposal.number}/").content.decode()
    assert f"/proposals/{proposal.number}/extend/" not in page
    response = post_action(manager_client, proposal, "extend", reason="再延")
    assert response.status_code == 409
    assert feedback_clock(proposal).due_at == extended


def test_an_extension_cannot_rescue_a_missed_deadline(agent_client, manager_client):
    register(agent_client, received_at="2026-10-12T09:00")  # due 2026-10-26 16:30, long past
    proposal = Proposal.objects.get()
    response = post_action(manager_client, proposal, "extend", reason="补延期")
    assert response.status_code == 400
    assert "already passed" in response.content.decode()
    assert reload(proposal).extended is False and reload(proposal).version == proposal.version
    assert feedback_clock(proposal).due_at == at(2026, 10, 26, 16, 30)


def test_late_feedback_is_recorded_as_breached(agent_client, manager_client, handler_a_client, unit_a):
    register(agent_client, received_at="2026-10-12T09:00")  # due 2026-10-26 16:30, long past
    proposal = Proposal.objects.get()
    post_action(agent_client, proposal, "acknowledge", note="已致谢")
    post_action(manager_client, proposal, "route", unit=unit_a.pk)
    post_action(handler_a_client, proposal, "evaluate", decision="not_adopted", opinion="已有方案")
    post_action(agent_client, proposal, "feedback", handling_satisfaction="satisfied", note="已告知")
    clock = feedback_clock(proposal)
    assert clock.status == "breached" and clock.met_at is not None


def test_the_sweep_escalates_an_overdue_proposal_to_its_unit(agent_client, manager_client, handler_a, unit_a,
                                                             django_capture_on_commit_callbacks):
    unit_a.lead = handler_a
    unit_a.save()
    register(agent_client, received_at="2026-10-12T09:00")
    proposal = Proposal.objects.get()
    post_action(agent_client, proposal, "acknowledge", note="已致谢")
    post_action(manager_client, proposal, "route", unit=unit_a.pk)

    with django_capture_on_commit_callbacks(execute=True):
        result = sla_sweep(now=at(2026, 10, 27, 9, 0))  # past due, not yet one working day over
    assert result.raised == {0: 1, 1: 1}
    assert reload(proposal).escalation_level == 1
    assert CaseEvent.objects.filter(case_type__model="proposal", case_id=proposal.pk,
                                    kind="escalation", action="sla_level_1").exists()
    note = Notification.objects.get(recipient=handler_a, source__startswith="escalation:",
                                    message__contains="missed")
    assert proposal.number in note.message
    # The bell's link opens the proposal's own page.
    client = Client()
    client.force_login(handler_a)
    response = client.post(f"/notifications/{note.pk}/")
    assert response.status_code == 302 and response.url == f"/proposals/{proposal.number}/"
    assert sla_sweep(now=at(2026, 10, 27, 9, 1)).total == 0  # exactly once


def test_a_proposal_not_yet_due_is_left_alone(agent_client):
    register(agent_client)
    assert sla_sweep(now=timezone.now() + timedelta(minutes=1)).total == 0


def test_the_managers_overdue_queue_lists_late_proposals_too(agent_client, manager_client):
    register(agent_client, received_at="2026-10-12T09:00", subject="逾期未答复的提案")
    register(agent_client, subject="刚收到的提案")
    page = manager_client.get("/complaints/overdue/").content.decode()
    assert "逾期未答复的提案" in page and "刚收到的提案" not in page
    assert "sla-overdue" in page
