"""One proposal walked through SPEC §4's lifecycle by the right people, through the pages,
with the refusals on the way; and the short ways out (not adopted, archived)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from proposals.models import Proposal
from sla.models import Milestone

from .helpers import post_action, register, reload, timeline_actions


def test_adopted_proposal_walks_every_transition(agent_client, manager_client, handler_a_client, handler_b_client,
                                                 unit_a, agent):
    response = register(agent_client)
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert response.url == f"/proposals/{proposal.number}/"
    assert proposal.number == f"TA{timezone.localtime():%Y%m}-000001"
    assert (proposal.state, proposal.first_responder) == ("submitted", agent)

    # Not routed yet: no handler sees it, not even by its address.
    assert handler_a_client.get(f"/proposals/{proposal.number}/").status_code == 404

    assert post_action(agent_client, proposal, "acknowledge", note="已致谢，预计10个工作日内答复").status_code == 302
    assert reload(proposal).state == "acknowledged"

    # The agent suggests the unit; routing is the manager's alone.
    assert post_action(agent_client, proposal, "suggest_unit", unit=unit_a.pk).status_code == 302
    assert reload(proposal).suggested_unit == unit_a
    assert post_action(agent_client, proposal, "route", unit=unit_a.pk).status_code == 403
    assert reload(proposal).state == "acknowledged"
    page = manager_client.get(f"/proposals/{proposal.number}/").content.decode()
    assert f'<option value="{unit_a.pk}" selected>' in page  # the manager's form starts from the suggestion
    assert post_action(manager_client, proposal, "route", unit=unit_a.pk).status_code == 302
    proposal = reload(proposal)
    assert (proposal.state, proposal.responsible_unit) == ("under_review", unit_a)

    # The other unit's handler gets 404; the agent may not evaluate for the unit.
    assert handler_b_client.get(f"/proposals/{proposal.number}/").status_code == 404
    assert post_action(agent_client, proposal, "evaluate", decision="adopted", opinion="x").status_code == 403

    planned = timezone.localdate() + timedelta(days=20)
    assert post_action(handler_a_client, proposal, "evaluate", decision="adopted", opinion="可行，节约明显",
                       planned_implementation_on=planned.isoformat(), measures="合并两道工序").status_code == 302
    proposal = reload(proposal)
    assert (proposal.state, proposal.decision, proposal.planned_implementation_on) == ("evaluated", "adopted", planned)

    # The handler may not tell the customer; the desk does, which meets the feedback deadline.
    assert post_action(handler_a_client, proposal, "feedback", handling_satisfaction="satisfied",
                       note="x").status_code == 403
    assert post_action(agent_client, proposal, "feedback", handling_satisfaction="very_satisfied",
                       note="已告知客户采纳").status_code == 302
    proposal = reload(proposal)
    assert proposal.state == "adopted"
    feedback = Milestone.objects.get(case_id=proposal.pk, kind="proposal_feedback", case_type__model="proposal")
    assert (feedback.status, feedback.unit) == ("met", unit_a)

    response = post_action(handler_a_client, proposal, "implement", report="已合并", cost_reduction="200000")
    assert response.status_code == 302
    proposal = reload(proposal)
    assert (proposal.state, proposal.cost_reduction) == ("implemented", Decimal("200000.00"))
    assert proposal.customer_benefit == Decimal("120000.00")
    assert proposal.benefit_shared_until == timezone.localdate() + timedelta(days=365)

    assert post_action(agent_client, proposal, "close").status_code == 302
    proposal = reload(proposal)
    assert proposal.state == "closed" and proposal.closed_at is not None
    assert timeline_actions(proposal) == ["register", "customer_message", "acknowledge", "customer_message",
                                          "suggest_unit", "route", "evaluate", "feedback", "customer_message",
                                          "implement", "close", "customer_message"]

    # Closed is final: nothing is offered and a late action changes nothing.
    page = agent_client.get(f"/proposals/{proposal.number}/").content.decode()
    assert "Nothing for you to do on this proposal now." in page
    response = post_action(manager_client, proposal, "archive", reason="x")
    assert response.status_code == 409 and "not possible" in response.content.decode()


def test_not_adopted_proposal_closes_when_the_customer_is_told(agent_client, manager_client, handler_a_client,
                                                               unit_a):
    register(agent_client)
    proposal = Proposal.objects.get()
    post_action(agent_client, proposal, "acknowledge", note="已致谢")
    post_action(manager_client, proposal, "route", unit=unit_a.pk)
    assert post_action(handler_a_client, proposal, "evaluate", decision="not_adopted",
                       opinion="现有标准已覆盖").status_code == 302
    assert post_action(agent_client, proposal, "feedback", handling_satisfaction="neutral",
                       note="已解释原因").status_code == 302
    proposal = reload(proposal)
    assert (proposal.state, proposal.decision, proposal.handling_satisfaction) == ("closed", "not_adopted", "neutral")
    assert proposal.closed_at is not None


def test_manager_sends_a_thin_evaluation_back(agent_client, manager_client, handler_a_client, unit_a):
    register(agent_client)
    proposal = Proposal.objects.get()
    post_action(agent_client, proposal, "acknowledge", note="已致谢")
    post_action(manager_client, proposal, "route", unit=unit_a.pk)
    post_action(handler_a_client, proposal, "evaluate", decision="not_adopted", opinion="不行")
    assert post_action(agent_client, proposal, "send_back", note="理由不足").status_code == 403
    assert post_action(manager_client, proposal, "send_back", note="请说明理由").status_code == 302
    proposal = reload(proposal)
    assert (proposal.state, proposal.decision) == ("under_review", "")


def test_only_the_manager_archives_and_archiving_stops_the_clock(agent_client, manager_client):
    register(agent_client)
    proposal = Proposal.objects.get()
    post_action(agent_client, proposal, "acknowledge", note="已致谢")
    assert post_action(agent_client, proposal, "archive", reason="重复").status_code == 403
    assert reload(proposal).state == "acknowledged"
    assert post_action(manager_client, proposal, "archive", reason="与TA202610-000003重复").status_code == 302
    assert reload(proposal).state == "archived"
    assert Milestone.objects.get(case_id=proposal.pk, case_type__model="proposal").status == "cancelled"


def test_stale_form_gets_a_conflict_and_changes_nothing(agent_client, manager_client):
    register(agent_client)
    proposal = Proposal.objects.get()
    shown = proposal.version
    assert post_action(agent_client, proposal, "acknowledge", note="已致谢").status_code == 302
    response = post_action(manager_client, proposal, "extend", version=shown, reason="较复杂")
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    assert reload(proposal).extended is False


def test_adopting_needs_a_plan(agent_client, manager_client, handler_a_client, unit_a):
    """Adopting needs a date and measures; a date far away is a plan like any other (the research
    schedule follows the research's own month: test_research_schedule.py)."""
    register(agent_client)
    proposal = Proposal.objects.get()
    post_action(agent_client, proposal, "acknowledge", note="已致谢")
    post_action(manager_client, proposal, "route", unit=unit_a.pk)

    response = post_action(handler_a_client, proposal, "evaluate", decision="adopted", opinion="可行")
    assert response.status_code == 400
    body = response.content.decode()
    assert "needs a planned implementation date" in body and "Say which measures will be taken." in body
    assert reload(proposal).state == "under_review"

    later = (timezone.localdate() + timedelta(days=60)).isoformat()
    assert post_action(handler_a_client, proposal, "evaluate", decision="adopted", opinion="可行",
                       planned_implementation_on=later, measures="试点").status_code == 302
    proposal = reload(proposal)
    assert (proposal.state, proposal.research_schedule) == ("evaluated", "")


def test_every_user_facing_page_renders_for_each_role(agent_client, manager_client, handler_a_client, unit_a):
    register(agent_client)
    proposal = Proposal.objects.get()
    post_action(agent_client, proposal, "acknowledge", note="已致谢")
    post_action(manager_client, proposal, "route", unit=unit_a.pk)
    for client in (agent_client, manager_client, handler_a_client):
        assert client.get("/proposals/").status_code == 200
        assert proposal.number in client.get("/proposals/").content.decode()
        assert client.get(f"/proposals/{proposal.number}/").status_code == 200
    assert handler_a_client.get("/proposals/new/").status_code == 403
