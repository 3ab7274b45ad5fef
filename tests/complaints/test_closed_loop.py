"""The complaint loop as the regulations define it: rounds of the unit's clocks after a reopen,
the preliminary reply, transfers, the repair-request short path and the issue solved on the spot.
Each test drives the real actions with a controlled clock and names the rule it implements."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casework.errors import TransitionNotPossible
from casework.models import CaseEvent
from complaints import services
from complaints.models import Complaint
from satisfaction.models import Callback
from sla.models import Escalation, Milestone
from sla.sweep import sla_sweep

from ..factories import CustomerFactory
from .helpers import post_action, reload

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def clock(monkeypatch):
    """`clock("2026-11-24 15:00")` makes that the time every action is taken at."""
    def set_to(text):
        monkeypatch.setattr(timezone, "now", lambda: at(text))
    return set_to


def clocks(complaint, round=None):
    rows = Milestone.objects.filter(case_type__model="complaint", case_id=complaint.pk)
    if round is not None:
        rows = rows.filter(round=round)
    return {m.kind: m for m in rows}


def registered(clock, agent, *, received="2026-11-23 10:00", **extra):
    """Monday 23 November 2026, 10:00: registered on the hotline."""
    clock(received)
    fields = dict(channel="hotline", category="service_process", subject="维修拖延", description="车辆三次返修")
    fields.update(extra)
    return services.complaint_register(actor=agent, customer=CustomerFactory(), received_at=at(received), **fields)


def dispatched(clock, agent, unit, **extra):
    complaint = registered(clock, agent, **extra)
    clock("2026-11-23 11:00")
    complaint = services.complaint_contact(complaint=complaint, actor=agent, note="已联系客户")
    clock("2026-11-23 11:30")
    return services.complaint_dispatch(complaint=complaint, actor=agent, unit=unit)


def proposed(clock, agent, handler, unit):
    complaint = dispatched(clock, agent, unit)
    clock("2026-11-24 10:00")
    return services.complaint_propose(complaint=complaint, actor=handler, root_cause="排班不足",
                                      solution="增派技师", resolution_type="repair")


# --- rounds ------------------------------------------------------------------------------------


def test_a_rejected_solution_starts_a_new_round_of_the_units_clocks(clock, agent, handler_a, manager, unit_a):
    """A reopen (here the manager rejects the solution) starts the unit's solution and resolution
    clocks again from the reopen time; the first round's stay as history."""
    complaint = proposed(clock, agent, handler_a, unit_a)
    clock("2026-11-24 15:00")
    complaint = services.complaint_reject(complaint=complaint, actor=manager, note="方案不充分")
    assert (complaint.state, complaint.unit_round) == ("assigned", 1)

    first, second = clocks(complaint, round=0), clocks(complaint, round=1)
    assert first["unit_solution"].status == "met"  # the proposal answered it in time
    assert first["resolution"].status == "cancelled"  # replaced by the new round's
    assert first["resolution"].due_at == at("2026-12-07 16:30")
    assert set(second) == {"unit_solution", "resolution"}
    assert second["unit_solution"].started_at == at("2026-11-24 15:00")
    assert second["unit_solution"].due_at == at("2026-11-27 16:30")  # 3 working days from the reject
    assert second["resolution"].due_at == at("2026-12-08 16:30")  # 10 working days from the reject
    assert second["unit_solution"].unit == unit_a


def test_the_new_round_escalates_on_its_own(clock, agent, handler_a, manager, unit_a):
    """Escalation works per round: the met first-round clock stays quiet, the late second-round one
    is escalated to its unit."""
    complaint = proposed(clock, agent, handler_a, unit_a)
    clock("2026-11-24 15:00")
    complaint = services.complaint_reject(complaint=complaint, actor=manager, note="方案不充分")
    sla_sweep(now=at("2026-11-27 17:00"))
    escalated = Escalation.objects.filter(milestone__case_id=complaint.pk, milestone__kind="unit_solution")
    assert {(e.milestone.round, e.level) for e in escalated} == {(1, 0), (1, 1)}


def test_customer_disagreeing_starts_a_new_round(clock, agent, handler_a, manager, unit_a):
    complaint = proposed(clock, agent, handler_a, unit_a)
    clock("2026-11-24 16:00")
    complaint = services.complaint_approve(complaint=complaint, actor=manager)
    clock("2026-11-25 09:00")
    complaint = services.complaint_customer_disagrees(complaint=complaint, actor=agent, note="要求更高补偿")
    assert (complaint.state, complaint.unit_round) == ("assigned", 1)
    assert clocks(complaint, round=1)["unit_solution"].due_at == at("2026-11-30 16:30")


def test_a_dissatisfied_callback_goes_to_the_desk_and_the_next_dispatch_restarts_the_reply_clock(
        clock, agent, handler_a, manager, unit_a, unit_b):
    """Seed 004: "若顾客不满意，则重新从第二步开始处理": the desk decides again which unit investigates.
    The new round's resolution clock runs from the reopen; the solution reply from the new dispatch,
    here to a provider (24 hours); the callback clock from the new implementation."""
    complaint = proposed(clock, agent, handler_a, unit_a)
    clock("2026-11-24 16:00")
    complaint = services.complaint_approve(complaint=complaint, actor=manager)
    complaint = services.complaint_customer_agrees(complaint=complaint, actor=agent)
    clock("2026-11-25 10:00")
    complaint = services.complaint_implement(complaint=complaint, actor=handler_a, report="已派技师")
    clock("2026-11-26 10:00")
    complaint = services.complaint_record_callback(complaint=complaint, actor=agent, outcome="dissatisfied")
    assert (complaint.state, complaint.unit_round, complaint.reopen_count) == ("contacted", 1, 1)
    assert set(clocks(complaint, round=1)) == {"resolution"}
    assert clocks(complaint, round=1)["resolution"].started_at == at("2026-11-26 10:00")
    assert clocks(complaint, round=0)["callback"].status == "met"

    clock("2026-11-26 11:00")
    complaint = services.complaint_dispatch(complaint=complaint, actor=agent, unit=unit_b)
    assert clocks(complaint, round=1)["unit_solution"].due_at == at("2026-11-27 11:00")
    assert complaint.counted_unit == unit_a  # it went to another provider: still counts against the first


def test_the_case_page_shows_the_current_round_first(clock, agent, handler_a, manager, unit_a, manager_client):
    complaint = proposed(clock, agent, handler_a, unit_a)
    clock("2026-11-24 15:00")
    services.complaint_reject(complaint=complaint, actor=manager, note="方案不充分")
    response = manager_client.get(f"/complaints/{complaint.number}/")
    shown = [m.round for m in response.context["milestones"]]
    assert shown[:2] == [1, 1] and set(shown[2:]) == {0}
    assert "round 2" in response.content.decode()


# --- the unit's replies ------------------------------------------------------------------------


def test_a_preliminary_reply_meets_the_providers_24_hour_clock(clock, agent, handler_b, unit_b):
    """Seed 001 5.2: "在24小时内将用户抱怨的初步处理结果或最终处理结果…给予回复" — a preliminary result
    answers the 24-hour clock without a final solution; the case stays with the unit."""
    complaint = dispatched(clock, agent, unit_b)
    assert clocks(complaint)["unit_solution"].due_at == at("2026-11-24 11:30")
    clock("2026-11-24 09:00")
    complaint = services.complaint_reply_preliminary(complaint=complaint, actor=handler_b,
                                                     note="已初步检查，需等待配件")
    assert complaint.state == "assigned"
    reply = clocks(complaint)["unit_solution"]
    assert (reply.status, reply.met_at) == ("met", at("2026-11-24 09:00"))
    assert CaseEvent.objects.filter(case_id=complaint.pk, action="reply_preliminary",
                                    note="已初步检查，需等待配件").exists()
    clock("2026-11-25 09:00")
    complaint = services.complaint_propose(complaint=complaint, actor=handler_b, root_cause="配件缺货",
                                           solution="更换配件", resolution_type="repair")
    assert complaint.state == "pending_approval"


def test_only_the_units_handler_replies(clock, agent, unit_b, handler_a_client, agent_client):
    complaint = dispatched(clock, agent, unit_b)
    clock("2026-11-23 12:00")
    assert post_action(handler_a_client, complaint, "reply_preliminary", note="x").status_code == 404
    assert post_action(agent_client, complaint, "reply_preliminary", note="x").status_code == 403
    assert clocks(complaint)["unit_solution"].status == "pending"


# --- transfers ---------------------------------------------------------------------------------


def test_a_transferred_case_moves_to_the_new_unit_but_counts_against_the_first(
        clock, agent, unit_a, unit_b, handler_a_client, handler_b_client, manager_client):
    """Seed 001 5.2.2.1: when the customer asks for another provider, "该抱怨计入原销售服务商抱怨限值"."""
    complaint = dispatched(clock, agent, unit_a)
    clock("2026-11-24 09:00")
    response = post_action(manager_client, complaint, "transfer", to_unit=unit_b.pk, note="客户要求更换服务商")
    assert response.status_code == 302
    complaint = reload(complaint)
    assert (complaint.state, complaint.responsible_unit, complaint.counted_unit) == ("assigned", unit_b, unit_a)
    reply = clocks(complaint, round=1)["unit_solution"]
    assert (reply.unit, reply.due_at) == (unit_b, at("2026-11-25 09:00"))  # the provider's 24 hours
    assert clocks(complaint, round=0)["unit_solution"].status == "cancelled"
    assert handler_a_client.get(f"/complaints/{complaint.number}/").status_code == 404
    assert handler_b_client.get(f"/complaints/{complaint.number}/").status_code == 200
    event = CaseEvent.objects.get(case_id=complaint.pk, action="transfer")
    assert "客户要求更换服务商" in event.text and unit_b.name in event.text


def test_transfer_needs_another_active_unit_and_the_desk(clock, agent, handler_a, unit_a, unit_b):
    complaint = dispatched(clock, agent, unit_a)
    with pytest.raises(ValidationError):
        services.complaint_transfer(complaint=complaint, actor=agent, unit=unit_a, note="转回本单位")
    with pytest.raises(PermissionDenied):
        services.complaint_transfer(complaint=reload(complaint), actor=handler_a, unit=unit_b, note="不是我们的")
    unit_b.status = unit_b.Status.SUSPENDED
    unit_b.save()
    with pytest.raises(ValidationError):
        services.complaint_transfer(complaint=reload(complaint), actor=agent, unit=unit_b, note="换单位")
    assert reload(complaint).responsible_unit == unit_a


def test_the_unit_hands_a_case_back_to_the_desk(clock, agent, handler_a, unit_a, unit_b, handler_a_client,
                                                agent_client):
    complaint = dispatched(clock, agent, unit_a)
    clock("2026-11-23 14:00")
    complaint = services.complaint_hand_back(complaint=complaint, actor=handler_a, note="属于经销商责任")
    assert (complaint.state, complaint.unit_round, complaint.responsible_unit) == ("contacted", 1, None)
    assert clocks(complaint, round=0)["unit_solution"].status == "cancelled"
    assert handler_a_client.get(f"/complaints/{complaint.number}/").status_code == 404  # no longer theirs
    page = agent_client.get(f"/complaints/{complaint.number}/")
    assert {step.name: form for step, form in page.context["actions"]}["dispatch"]["unit"].value() is None
    clock("2026-11-23 15:00")
    complaint = services.complaint_dispatch(complaint=complaint, actor=agent, unit=unit_b)
    assert clocks(complaint, round=1)["unit_solution"].due_at == at("2026-11-24 15:00")
    assert complaint.counted_unit == unit_a


# --- short paths -------------------------------------------------------------------------------


def test_a_repair_request_goes_from_dispatch_straight_to_the_providers_result(clock, agent, handler_b, unit_b):
    """Seed 001 6.2.6–6.2.8: "以报修派工直接派发给服务商处理", the provider reports its result within
    3 working days, the desk calls the customer back. No solution to approve, no customer agreement."""
    complaint = dispatched(clock, agent, unit_b, kind="repair_request")
    with pytest.raises(TransitionNotPossible):
        services.complaint_propose(complaint=complaint, actor=handler_b, root_cause="x", solution="y",
                                   resolution_type="repair")
    clock("2026-11-25 10:00")
    complaint = services.complaint_implement(complaint=reload(complaint), actor=handler_b, report="已更换水泵")
    assert complaint.state == "resolved"
    assert clocks(complaint)["resolution"].due_at == at("2026-11-26 16:30")
    assert clocks(complaint)["resolution"].status == "met"
    clock("2026-11-26 10:00")
    complaint = services.complaint_record_callback(complaint=complaint, actor=agent, outcome="satisfied")
    assert (complaint.state, complaint.closure_type) == ("closed", "satisfied")


def test_a_complaint_is_not_implemented_without_an_approved_solution(clock, agent, handler_a, unit_a):
    complaint = dispatched(clock, agent, unit_a)
    with pytest.raises(TransitionNotPossible):
        services.complaint_implement(complaint=complaint, actor=handler_a, report="直接处理")


def test_solved_on_the_spot_closes_at_once_as_satisfied(clock, agent):
    """首问责任制 (seed 004): "当即可以解决问题…当场处理" — solved during the first call and confirmed by
    the customer: contacted, called back and closed in one step, a one-time closure."""
    complaint = registered(clock, agent)
    clock("2026-11-23 10:20")
    complaint = services.complaint_resolve_on_the_spot(complaint=complaint, actor=agent,
                                                       note="告知客户保养预约方式，客户确认")
    assert (complaint.state, complaint.closure_type) == ("closed", "satisfied")
    assert complaint.first_contacted_at == complaint.closed_at == at("2026-11-23 10:20")
    callback = Callback.objects.get(complaint=complaint)
    assert (callback.outcome, callback.called_by, callback.round) == ("satisfied", agent, 0)
    state = {kind: m.status for kind, m in clocks(complaint).items()}
    assert state["first_contact"] == "met" and state["long_open"] == "met"
    assert state["resolution"] == state["progress_reply"] == "cancelled"
    assert Complaint.objects.get(pk=complaint.pk).reopen_count == 0


def test_only_the_desk_closes_on_the_spot_and_only_before_anything_else(clock, agent, handler_a, unit_a):
    complaint = registered(clock, agent)
    with pytest.raises(PermissionDenied):
        services.complaint_resolve_on_the_spot(complaint=complaint, actor=handler_a, note="x")
    complaint = dispatched(clock, agent, unit_a)
    with pytest.raises(TransitionNotPossible):
        services.complaint_resolve_on_the_spot(complaint=complaint, actor=agent, note="x")


def test_a_reopened_case_is_offered_to_the_same_unit(clock, agent, handler_a, manager, unit_a, agent_client):
    """After a dissatisfied callback the desk decides again which unit handles it; the unit it was
    with is the default choice."""
    complaint = proposed(clock, agent, handler_a, unit_a)
    complaint = services.complaint_approve(complaint=complaint, actor=manager)
    complaint = services.complaint_customer_agrees(complaint=complaint, actor=agent)
    complaint = services.complaint_implement(complaint=complaint, actor=handler_a, report="已处理")
    clock("2026-11-25 10:00")
    services.complaint_record_callback(complaint=complaint, actor=agent, outcome="dissatisfied")
    page = agent_client.get(f"/complaints/{complaint.number}/")
    actions = {step.name: form for step, form in page.context["actions"]}
    assert actions["dispatch"]["unit"].value() == unit_a.pk


def test_a_unit_in_transition_service_still_takes_cases(clock, agent, unit_b):
    """过渡服务: a unit winding down or starting up still serves its customers (only its support is
    affected, in the monthly verdict); a suspended unit takes no new case."""
    unit_b.status = unit_b.Status.TRANSITION
    unit_b.save()
    assert dispatched(clock, agent, unit_b).responsible_unit == unit_b


def test_a_missed_reply_stays_missed_when_the_case_moves_on(clock, agent, handler_a, unit_a):
    """A new round supersedes the earlier round's running clocks: a pending one is no longer needed,
    but a missed one stays missed (the KPIs and the case page keep it) and stops escalating."""
    complaint = dispatched(clock, agent, unit_a)
    sla_sweep(now=at("2026-11-26 17:00"))  # the reply was due Thu 16:30
    assert clocks(complaint)["unit_solution"].status == "breached"
    clock("2026-11-27 09:00")
    services.complaint_hand_back(complaint=complaint, actor=handler_a, note="属于经销商责任")
    reply = clocks(complaint, round=0)["unit_solution"]
    assert (reply.status, reply.met_at, reply.is_open) == ("breached", at("2026-11-27 09:00"), False)
    sla_sweep(now=at("2026-12-10 17:00"))  # long past its level-2 point: nothing more for it
    assert set(Escalation.objects.filter(milestone=reply).values_list("level", flat=True)) == {0, 1}


def test_a_case_never_dispatched_cannot_be_transferred(clock, agent, unit_b):
    """A transfer moves a case from one unit to another; an invalid closure waiting for the manager
    has no unit it counts against."""
    complaint = registered(clock, agent)
    complaint = services.complaint_contact(complaint=complaint, actor=agent, note="已联系")
    complaint = services.complaint_propose_invalid(complaint=complaint, actor=agent, reason="非本公司产品")
    with pytest.raises(TransitionNotPossible):
        services.complaint_transfer(complaint=complaint, actor=agent, unit=unit_b, note="转给北京")
    assert reload(complaint).responsible_unit is None


def test_a_major_complaint_is_not_closed_on_the_spot(clock, agent):
    """A major complaint owes the manager a written report within 2 working days: no one-step closure."""
    complaint = registered(clock, agent, estimated_loss=60000)
    assert complaint.is_major
    with pytest.raises(TransitionNotPossible):
        services.complaint_resolve_on_the_spot(complaint=complaint, actor=agent, note="x")
