"""Bad input on the proposal forms gives field errors or a 4xx page, never a 500, never a
partial write; script tags come back escaped."""

import pytest

from casework.models import CaseEvent, Customer
from proposals.models import Proposal

from ..factories import ProposalFactory
from .helpers import post_action, register, reload

SCRIPT = "<script>alert(1)</script>"


@pytest.mark.parametrize("field, value", [
    ("subject", ""), ("subject", "x" * 201), ("content", ""), ("content", "x" * 5001),
    ("customer_phone", "12345"), ("customer_email", "not-an-email"), ("received_at", "yesterday"),
    ("received_at", "2099-01-01T10:00"), ("received_at", "0001-01-01T00:00"), ("received_at", "9999-12-31T23:59"),
    ("channel", "pigeon"), ("category", "nonsense"),
    ("priority", "whenever"), ("customer_name", ""), ("expected_benefit", "x" * 2001),
])
def test_intake_field_errors(agent_client, field, value):
    response = register(agent_client, **{field: value})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Proposal.objects.exists() and not Customer.objects.exists()


def test_script_tags_are_shown_escaped(agent_client):
    register(agent_client, subject=SCRIPT, content=SCRIPT, customer_name=SCRIPT)
    proposal = Proposal.objects.get()
    for page in (agent_client.get(f"/proposals/{proposal.number}/"), agent_client.get("/proposals/")):
        html = page.content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert SCRIPT not in html


@pytest.mark.parametrize("action, state, fields", [
    ("acknowledge", "submitted", {"note": ""}),
    ("route", "acknowledged", {"unit": "999999"}),
    ("route", "acknowledged", {"unit": "abc"}),
    ("archive", "acknowledged", {"reason": ""}),
    ("evaluate", "under_review", {"decision": "maybe", "opinion": "x"}),
    ("evaluate", "under_review", {"decision": "adopted", "opinion": "x", "measures": "m",
                                  "planned_implementation_on": "next week"}),
    ("evaluate", "under_review", {"decision": "adopted", "opinion": "x", "measures": "m",
                                  "planned_implementation_on": "2001-01-01"}),
    ("evaluate", "under_review", {"decision": "adopted", "opinion": "x", "measures": "m", "research_schedule": "r",
                                  "planned_implementation_on": "9999-12-31"}),
    ("evaluate", "under_review", {"decision": "adopted", "opinion": "x", "measures": "m",
                                  "planned_implementation_on": "0001-01-01"}),
    ("feedback", "evaluated", {"handling_satisfaction": "ecstatic", "note": "x"}),
    ("implement", "adopted", {"report": "done", "cost_reduction": "abc"}),
    ("implement", "adopted", {"report": "done", "cost_reduction": "-1"}),
    ("implement", "adopted", {"report": "", "cost_reduction": "10"}),
])
def test_bad_action_input_changes_nothing(agent_client, manager_client, handler_a_client, unit_a,
                                          action, state, fields):
    proposal = ProposalFactory(state=state, responsible_unit=unit_a, decision="adopted" if state == "evaluated" else "")
    client = {"route": manager_client, "archive": manager_client, "evaluate": handler_a_client,
              "implement": handler_a_client}.get(action, agent_client)
    response = post_action(client, proposal, action, **fields)
    assert response.status_code == 400
    after = reload(proposal)
    assert (after.state, after.version) == (state, proposal.version)
    assert not CaseEvent.objects.filter(case_id=proposal.pk, case_type__model="proposal").exists()


def test_missing_or_forged_version_is_a_field_error_or_conflict(agent_client):
    proposal = ProposalFactory()
    response = agent_client.post(f"/proposals/{proposal.number}/acknowledge/", {"acknowledge-note": "x"})
    assert response.status_code == 400
    response = post_action(agent_client, proposal, "acknowledge", version=99, note="x")
    assert response.status_code == 409
    assert reload(proposal).state == "submitted"


def test_unknown_action_and_unknown_number_are_404(agent_client):
    proposal = ProposalFactory()
    assert agent_client.post(f"/proposals/{proposal.number}/explode/", {}).status_code == 404
    assert agent_client.get("/proposals/TA000000-000000/").status_code == 404


def test_queue_ignores_bad_filters(agent_client):
    proposal = ProposalFactory(state="closed")
    response = agent_client.get("/proposals/?state=bogus&unit=abc&category=zzz&page=-3")
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"state", "unit", "category"}
    assert proposal.number in response.content.decode()  # unfiltered, closed ones included


def test_a_refused_registration_leaves_no_customer_behind(agent_client, monkeypatch):
    from django.core.exceptions import ValidationError

    from proposals import services

    def refuse(**kwargs):
        raise ValidationError("编号服务不可用")

    monkeypatch.setattr(services, "proposal_register", refuse)
    response = register(agent_client)
    assert response.status_code == 400 and "编号服务不可用" in response.content.decode()
    assert not Customer.objects.exists()


def test_comments_go_to_the_timeline_and_bad_ones_are_field_errors(agent_client, handler_b_client, unit_a):
    proposal = ProposalFactory(state="under_review", responsible_unit=unit_a)
    base = f"/proposals/{proposal.number}"
    assert agent_client.post(f"{base}/comment/", {"text": ""}).status_code == 400
    assert agent_client.post(f"{base}/comment/", {"text": "x" * 2001}).status_code == 400
    assert handler_b_client.post(f"{base}/comment/", {"text": "不是我的单位"}).status_code == 404
    assert not CaseEvent.objects.filter(case_type__model="proposal", case_id=proposal.pk).exists()
    assert agent_client.post(f"{base}/comment/", {"text": SCRIPT}).status_code == 302
    event = CaseEvent.objects.get(case_type__model="proposal", case_id=proposal.pk)
    assert (event.kind, event.note) == ("comment", SCRIPT)
    assert "&lt;script&gt;" in agent_client.get(f"{base}/").content.decode()
