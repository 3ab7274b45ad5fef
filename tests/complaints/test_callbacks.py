"""Only a callback closes a complaint: satisfied closes, dissatisfied or a false reply reopens
(back to the desk), neutral does neither, the third unreachable attempt closes as unreachable,
quality needs two."""

import pytest

from complaints import services
from complaints.models import Complaint
from satisfaction.models import Callback

from ..factories import ComplaintFactory


@pytest.fixture
def resolved(unit_a):
    def make(**kwargs):
        return ComplaintFactory(state="resolved", responsible_unit=unit_a, **kwargs)

    return make


def call(complaint, agent, outcome, **kwargs):
    return services.complaint_record_callback(
        complaint=Complaint.objects.get(pk=complaint.pk), actor=agent, outcome=outcome, **kwargs
    )


@pytest.mark.parametrize("outcome", ["very_satisfied", "satisfied"])
def test_an_accepting_callback_closes_as_satisfied(resolved, agent, outcome):
    """Seed 004: "若顾客满意或非常满意，则投诉正式受理完毕"."""
    complaint = call(resolved(), agent, outcome)
    assert (complaint.state, complaint.closure_type) == ("closed", "satisfied")


def test_neutral_neither_closes_nor_reopens(resolved, agent):
    """Seed 004 closes only on satisfied or very satisfied; neutral (基本满意) is not one of them.
    The desk calls again (or the manager closes with a reason); the case stays with its unit."""
    complaint = call(resolved(), agent, "neutral")
    assert (complaint.state, complaint.closure_type, complaint.reopen_count) == ("resolved", "", 0)
    complaint = call(complaint, agent, "satisfied")
    assert (complaint.state, complaint.closure_type) == ("closed", "satisfied")


def test_dissatisfied_callback_sends_the_case_back_to_the_desk(resolved, agent):
    """Seed 004: "若顾客不满意，则重新从第二步开始处理" — the desk decides again which unit investigates."""
    complaint = call(resolved(), agent, "dissatisfied", note="问题依旧")
    assert (complaint.state, complaint.reopen_count, complaint.unit_round, complaint.closure_type) == (
        "contacted", 1, 1, "")
    assert complaint.responsible_unit is not None  # the same unit is offered; the desk dispatches again


def test_false_reply_reopens_even_if_the_customer_sounds_satisfied(resolved, agent):
    complaint = call(resolved(), agent, "satisfied", false_reply=True)
    assert complaint.state == "contacted"
    assert Callback.objects.get(complaint=complaint).false_reply


def test_third_unreachable_attempt_closes_as_unreachable(resolved, agent):
    complaint = resolved()
    assert call(complaint, agent, "unreachable").state == "resolved"
    assert call(complaint, agent, "unreachable").state == "resolved"
    complaint = call(complaint, agent, "unreachable")
    assert (complaint.state, complaint.closure_type) == ("closed", "unreachable")
    assert Callback.objects.filter(complaint=complaint, outcome="unreachable").count() == 3


def test_unreachable_attempts_before_a_reopen_do_not_count_afterwards(resolved, agent, handler_a, manager):
    complaint = resolved()
    call(complaint, agent, "unreachable")
    call(complaint, agent, "unreachable")
    call(complaint, agent, "dissatisfied")
    complaint = Complaint.objects.get(pk=complaint.pk)
    complaint = services.complaint_dispatch(complaint=complaint, actor=agent, unit=complaint.responsible_unit)
    complaint = services.complaint_propose(complaint=complaint, actor=handler_a, root_cause="r", solution="s",
                                           resolution_type="repair")
    complaint = services.complaint_approve(complaint=complaint, actor=manager)
    complaint = services.complaint_customer_agrees(complaint=complaint, actor=agent)
    complaint = services.complaint_implement(complaint=complaint, actor=handler_a, report="已修复")
    assert call(complaint, agent, "unreachable").state == "resolved"


def test_quality_complaint_needs_two_accepting_callbacks(resolved, agent):
    complaint = resolved(category="product_quality")
    assert call(complaint, agent, "satisfied").state == "resolved"
    assert call(complaint, agent, "unreachable").state == "resolved"
    complaint = call(complaint, agent, "very_satisfied")
    assert (complaint.state, complaint.closure_type) == ("closed", "satisfied")


def test_callback_cannot_be_recorded_before_resolution(agent, unit_a):
    from casework.errors import TransitionNotPossible

    complaint = ComplaintFactory(state="in_progress", responsible_unit=unit_a)
    with pytest.raises(TransitionNotPossible):
        call(complaint, agent, "satisfied")
    assert not Callback.objects.exists()
