"""Only a callback closes a complaint (SPEC §3): satisfied closes, dissatisfied or a false
reply reopens, the third unreachable attempt closes as unreachable, quality needs two."""

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


@pytest.mark.parametrize("outcome", ["very_satisfied", "satisfied", "neutral"])
def test_an_accepting_callback_closes_as_satisfied(resolved, agent, outcome):
    complaint = call(resolved(), agent, outcome)
    assert (complaint.state, complaint.closure_type) == ("closed", "satisfied")


def test_dissatisfied_callback_reopens_to_the_unit(resolved, agent):
    complaint = call(resolved(), agent, "dissatisfied", note="问题依旧")
    assert (complaint.state, complaint.reopen_count, complaint.closure_type) == ("assigned", 1, "")


def test_false_reply_reopens_even_if_the_customer_sounds_satisfied(resolved, agent):
    complaint = call(resolved(), agent, "satisfied", false_reply=True)
    assert complaint.state == "assigned"
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
