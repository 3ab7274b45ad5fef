"""The generic path every lifecycle action takes (workflow.act.case_act): one transaction for the
transition, its clocks, its timeline entry and its notices; nothing written on any refusal; and
workflow tables that name only real transitions and forms."""

import inspect

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import FSMField

from casework.errors import CaseConflict, TransitionNotPossible
from casework.models import CaseEvent, Notification
from complaints.workflow import WORKFLOW as COMPLAINTS
from proposals.workflow import WORKFLOW as PROPOSALS
from sla.models import Milestone, MilestoneKind
from workflow.act import case_act

from ..factories import ComplaintFactory, UnitFactory

pytestmark = pytest.mark.django_db


def snapshot(complaint):
    complaint.refresh_from_db()
    return (complaint.state, complaint.version, CaseEvent.objects.filter(case_id=complaint.pk).count(),
            Notification.objects.count(), list(Milestone.objects.filter(case_id=complaint.pk)
                                               .values_list("kind", "status", "met_at")))


@pytest.mark.parametrize("workflow", [COMPLAINTS, PROPOSALS], ids=["complaints", "proposals"])
def test_every_row_names_a_transition_of_its_model_and_a_versioned_form(workflow):
    model = workflow.queryset().model
    for name, step in workflow.steps.items():
        method = getattr(model, name, None)
        assert method is not None and hasattr(method, "_django_fsm"), f"{name} is not a @transition of {model}"
        form = step.form_class()
        assert "version" in form.fields, f"{name}'s form does not carry the version the person saw"
        parameters = inspect.signature(method).parameters
        for argument in step.arguments:
            assert argument in parameters and argument in form.fields, (name, argument)
        assert step.stamps_time == ("at" in parameters), f"{name}: `at` and stamps_time disagree"
    assert any(isinstance(f, FSMField) and f.protected for f in model._meta.fields)


def test_the_transition_its_clock_and_its_timeline_entry_commit_together(agent, unit_a, handler_a):
    complaint = ComplaintFactory(state="contacted", first_responder=agent)
    case_act(workflow=COMPLAINTS, case=complaint, actor=agent, action="dispatch", data={"unit": unit_a, "note": ""})
    complaint.refresh_from_db()
    assert (complaint.state, complaint.responsible_unit) == ("assigned", unit_a)
    solution = Milestone.objects.get(case_id=complaint.pk, kind=MilestoneKind.UNIT_SOLUTION)
    assert solution.unit == unit_a and solution.met_at is None
    entry = CaseEvent.objects.get(case_id=complaint.pk, action="dispatch")
    assert (entry.kind, entry.from_state, entry.to_state) == ("assignment", "contacted", "assigned")
    assert unit_a.name in entry.text
    # The unit is told, in the bell (and by e-mail once committed).
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["handler_a"]


def test_a_failure_after_the_transition_rolls_everything_back(agent, unit_a, monkeypatch):
    complaint = ComplaintFactory(state="contacted", first_responder=agent)
    before = snapshot(complaint)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("workflow.act.case_event_record", broken)
    with pytest.raises(RuntimeError):
        case_act(workflow=COMPLAINTS, case=complaint, actor=agent, action="dispatch",
                 data={"unit": unit_a, "note": ""})
    assert snapshot(complaint) == before


@pytest.mark.parametrize("refusal, exception", [
    ("stale version", CaseConflict), ("not this person's action", PermissionDenied),
    ("wrong state", TransitionNotPossible), ("the action's own rule", ValidationError),
])
def test_every_refusal_writes_nothing(agent, handler_a, unit_a, refusal, exception):
    complaint = ComplaintFactory(state="contacted", first_responder=agent)
    before = snapshot(complaint)
    actor, action, data, version = agent, "dispatch", {"unit": unit_a, "note": ""}, complaint.version
    if refusal == "stale version":
        version -= 1
    elif refusal == "not this person's action":
        actor = handler_a
    elif refusal == "wrong state":
        action, data = "contact", {"note": "called again"}  # contacted already
    else:
        data = {"unit": UnitFactory(status="suspended"), "note": ""}
    with pytest.raises(exception):
        case_act(workflow=COMPLAINTS, case=complaint, actor=actor, action=action, data=data,
                 expected_version=version)
    assert snapshot(complaint) == before


def test_the_person_acting_is_not_told_of_their_own_action(agent, handler_a, unit_a):
    unit_a.members.add(agent)  # an agent who also handles for the unit
    complaint = ComplaintFactory(state="contacted", first_responder=agent)
    case_act(workflow=COMPLAINTS, case=complaint, actor=agent, action="dispatch", data={"unit": unit_a, "note": ""})
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["handler_a"]
