"""Being told (issue 13): each lifecycle notice goes to the people who are to act next, says what
to do and by when, and its link opens the case for them; never to the actor, never to someone who
could not open the case, and never twice for one change."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from casework.models import Notification
from complaints import services as complaints
from complaints.workflow import WORKFLOW as COMPLAINTS
from proposals import services as proposals
from sla.models import Milestone
from workflow.act import _tell_the_people

from ..complaints.helpers import post_action
from ..factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db


def told(source_action: str) -> dict[str, str]:
    """Who was told of the latest change of this action: username → message."""
    return {n.recipient.username: n.message
            for n in Notification.objects.filter(source__contains=f":{source_action}:").select_related("recipient")}


def opens(user, case_path):
    """The recipient follows the notice from the bell and lands on the case's page (200)."""
    note = Notification.objects.filter(recipient=user).latest("pk")
    client = Client()
    client.force_login(user)
    page = client.get(f"/notifications/{note.pk}/", follow=True)
    assert page.status_code == 200
    assert page.redirect_chain[-1][0] == case_path
    return page


def due(case, kind) -> str:
    milestone = Milestone.objects.filter(case_id=case.pk, case_number=case.number, kind=kind, met_at__isnull=True
                                         ).order_by("-round").first()
    return timezone.localtime(milestone.due_at).strftime("%Y-%m-%d %H:%M")


def post_proposal(client, proposal, action, **fields):
    proposal.refresh_from_db()
    data = {f"{action}-version": proposal.version, **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(f"/proposals/{proposal.number}/{action}/", data)


@pytest.fixture
def complaint(agent, unit_a):
    return complaints.complaint_register(actor=agent, customer=CustomerFactory(), channel="hotline",
                                         category="service_process", subject="维修拖延", description="车辆三次返修",
                                         received_at=timezone.now() - timedelta(hours=1))


@pytest.fixture
def other_agent(db):
    return UserFactory(username="agent2", role="agent")


def test_the_complaint_loop_tells_who_acts_next(complaint, agent, other_agent, agent_client, handler_a,
                                                handler_a_client, handler_b, manager, manager_client):
    path = f"/complaints/{complaint.number}/"
    post_action(agent_client, complaint, "contact", note="已联系客户")
    assert post_action(agent_client, complaint, "dispatch", unit=unit_id(complaint, handler_a)).status_code == 302

    # Dispatched: the unit's handlers (not the other unit's, not the agent who dispatched).
    message = told("dispatch")
    assert set(message) == {"handler_a"}
    assert message["handler_a"] == (f"Complaint {complaint.number} was dispatched to your unit: find the cause and "
                                    f"propose a solution by {due(complaint, 'unit_solution')}.")
    opens(handler_a, path)

    # A solution proposed: the managers approve or reject it.
    post_action(handler_a_client, complaint, "propose", root_cause="排班不足", solution="增派技师",
                resolution_type="repair")
    assert told("propose") == {"manager": f"The solution for Complaint {complaint.number} waits for your approval: "
                                          f"approve or reject it."}
    opens(manager, path)

    # Rejected: back to the unit, with the new round's deadline.
    post_action(manager_client, complaint, "reject", note="方案不充分")
    assert told("reject") == {"handler_a": f"The solution for Complaint {complaint.number} was rejected: read the "
                                           f"manager's note and propose a new solution by "
                                           f"{due(complaint, 'unit_solution')}."}
    post_action(handler_a_client, complaint, "propose", root_cause="排班不足", solution="增派两名技师",
                resolution_type="repair")
    post_action(manager_client, complaint, "approve", note="")
    # Approved: the owner presents it to the customer (the other agents are not told).
    assert set(told("approve")) == {"agent"}
    assert "present it to the customer" in told("approve")["agent"]
    opens(agent, path)

    post_action(agent_client, complaint, "customer_disagrees", note="客户要求更换")
    assert told("customer_disagrees") == {
        "handler_a": f"The customer disagrees with the solution for Complaint {complaint.number}: read the note and "
                     f"propose a new solution by {due(complaint, 'unit_solution')}."}
    post_action(handler_a_client, complaint, "propose", root_cause="排班不足", solution="更换零件",
                resolution_type="replacement")
    post_action(manager_client, complaint, "approve", note="")
    post_action(agent_client, complaint, "customer_agrees", note="")
    assert "carry it out and report the implementation by" in told("customer_agrees")["handler_a"]

    # Implemented: the callback is due, and the desk (the case's owner) is told by when.
    post_action(handler_a_client, complaint, "implement", report="已更换零件")
    assert told("implement") == {"agent": f"Complaint {complaint.number} was implemented by the unit: call the "
                                          f"customer back by {due(complaint, 'callback')} and record the callback."}
    opens(agent, path)

    # Reopened at the callback: the desk dispatches again and the unit hears its result did not satisfy.
    post_action(manager_client, complaint, "record_callback", outcome="dissatisfied", note="仍有异响")
    reopened = told("record_callback")
    assert set(reopened) == {"agent", "handler_a"}
    assert "dispatch it again" in reopened["agent"] and "reopened after the callback" in reopened["handler_a"]
    opens(handler_a, path)
    post_action(agent_client, complaint, "dispatch", unit=unit_id(complaint, handler_a))
    assert "was reopened and dispatched to your unit" in Notification.objects.filter(
        recipient=handler_a).latest("pk").message

    assert not Notification.objects.filter(recipient__in=[other_agent, handler_b]).exists()


def unit_id(complaint, handler):
    return handler.responsible_units.get().pk


def test_no_one_is_told_of_their_own_action(complaint, manager, manager_client, agent_client, handler_a,
                                            handler_a_client):
    """The manager who is also the case's owner approves: the desk notice would be theirs."""
    complaint.first_responder = manager
    complaint.save()
    post_action(agent_client, complaint, "contact", note="已联系")
    post_action(agent_client, complaint, "dispatch", unit=handler_a.responsible_units.get().pk)
    post_action(handler_a_client, complaint, "propose", root_cause="a", solution="b", resolution_type="repair")
    assert post_action(manager_client, complaint, "approve", note="").status_code == 302
    assert told("approve") == {}
    assert not Notification.objects.filter(recipient=manager, source__contains=":approve:").exists()


def test_a_notice_is_written_once_with_its_change(complaint, agent, agent_client, handler_a, settings,
                                                 django_capture_on_commit_callbacks):
    handler_a.email = "handler@example.com"
    handler_a.save()
    post_action(agent_client, complaint, "contact", note="已联系")
    with django_capture_on_commit_callbacks(execute=True):
        post_action(agent_client, complaint, "dispatch", unit=handler_a.responsible_units.get().pk)
    # A stale resubmission (the same form posted again) changes nothing and tells nobody again.
    assert post_action(agent_client, complaint, "dispatch", version=complaint.version - 1,
                       unit=handler_a.responsible_units.get().pk).status_code in (409, 400)
    assert Notification.objects.filter(recipient=handler_a).count() == 1
    # The same change told again (a retry of the same step at the same version): still one.
    complaint.refresh_from_db()
    _tell_the_people(COMPLAINTS.steps["dispatch"], complaint, agent,
                     source=f"{complaint.number}:dispatch:{complaint.version}")
    assert Notification.objects.filter(recipient=handler_a).count() == 1
    # The e-mail says the same and carries the case's address.
    [email] = [m for m in mail.outbox if m.to == ["handler@example.com"]]
    assert "was dispatched to your unit" in email.body
    assert f"{settings.SITE_URL.rstrip('/')}/complaints/{complaint.number}/" in email.body


def test_a_portal_case_tells_every_agent_when_the_callback_is_due(handler_a, handler_a_client, agent, other_agent,
                                                                  manager_client):
    """No usable owner (the portal's system user): the desk is every agent."""
    portal = UserFactory(username="portal", role="agent")
    portal.set_unusable_password()
    portal.save()
    case = complaints.complaint_register(actor=portal, customer=CustomerFactory(), channel="web_form",
                                         category="service_process", subject="s", description="d",
                                         received_at=timezone.now() - timedelta(hours=1))
    post_action(manager_client, case, "contact", note="已联系")
    post_action(manager_client, case, "dispatch", unit=handler_a.responsible_units.get().pk)
    post_action(handler_a_client, case, "propose", root_cause="a", solution="b", resolution_type="repair")
    post_action(manager_client, case, "approve", note="")
    post_action(manager_client, case, "customer_agrees", note="")
    post_action(handler_a_client, case, "implement", report="done")
    assert set(told("implement")) == {"agent", "agent2"}
    opens(other_agent, f"/complaints/{case.number}/")


def test_the_proposal_loop_tells_who_acts_next(agent, agent_client, manager, manager_client, handler_a,
                                               handler_a_client, unit_a):
    proposal = proposals.proposal_register(actor=agent, customer=CustomerFactory(), channel="written",
                                           received_at=timezone.now() - timedelta(hours=1),
                                           category="process_efficiency", subject="流程", content="缩短流程")
    path = f"/proposals/{proposal.number}/"
    post_proposal(agent_client, proposal, "acknowledge", note="感谢")
    post_proposal(agent_client, proposal, "suggest_unit", unit=unit_a.pk, note="")
    assert told("suggest_unit") == {"manager": f"Proposal {proposal.number} has a suggested unit: route it to a unit."}

    assert post_proposal(manager_client, proposal, "route", unit=unit_a.pk, note="").status_code == 302
    feedback_due = due(proposal, "proposal_feedback")
    assert told("route") == {"handler_a": f"Proposal {proposal.number} was routed to your unit: study it and record "
                                          f"your evaluation; the customer is to hear the decision by {feedback_due}."}
    opens(handler_a, path)

    planned = (timezone.localdate() + timedelta(days=30)).isoformat()
    post_proposal(handler_a_client, proposal, "evaluate", decision="adopted", opinion="可行",
                  planned_implementation_on=planned, measures="优化流程")
    evaluated = told("evaluate")
    assert set(evaluated) == {"manager", "agent"}
    assert "waits for your review" in evaluated["manager"]
    assert evaluated["agent"] == (f"The unit has evaluated proposal {proposal.number}: tell the customer the "
                                  f"decision by {feedback_due}.")
    opens(manager, path)

    post_proposal(manager_client, proposal, "send_back", note="请补充成本")
    assert "was sent back" in told("send_back")["handler_a"]
    post_proposal(handler_a_client, proposal, "evaluate", decision="adopted", opinion="可行",
                  planned_implementation_on=planned, measures="优化流程")
    post_proposal(agent_client, proposal, "feedback", handling_satisfaction="satisfied", note="已告知")
    assert told("feedback") == {"handler_a": f"The customer was told that proposal {proposal.number} is adopted: "
                                             f"implement it (planned for {planned}) and report the implementation."}
    post_proposal(handler_a_client, proposal, "implement", report="已实施", cost_reduction="1000")
    assert told("implement") == {"agent": f"Proposal {proposal.number} was implemented by the unit: confirm it with "
                                          f"the customer and close the proposal."}
    opens(agent, path)


def test_nobody_is_told_who_could_not_open_the_case(complaint, agent_client, unit_a):
    """A member of the unit without the handler role could not open the case: not told."""
    outsider = UserFactory(username="not_a_handler")
    unit_a.members.add(outsider)
    post_action(agent_client, complaint, "contact", note="已联系")
    post_action(agent_client, complaint, "dispatch", unit=unit_a.pk)
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_an_administrator_reads_a_proposal_but_takes_no_part(admin_client_role, agent):
    proposal = proposals.proposal_register(actor=agent, customer=CustomerFactory(), channel="written",
                                           received_at=timezone.now() - timedelta(hours=1),
                                           category="process_efficiency", subject="流程", content="缩短流程")
    page = admin_client_role.get(f"/proposals/{proposal.number}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "缩短流程" in html and f'action="/proposals/{proposal.number}/' not in html
    assert admin_client_role.post(f"/proposals/{proposal.number}/attachments/").status_code == 403
    # The work queues stay the working roles'.
    assert admin_client_role.get("/proposals/").status_code == 403


def test_an_administrator_who_handles_another_unit_adds_no_file_to_this_units_case(agent, unit_a, unit_b):
    """Admins read every case; one who is also a handler of unit B still takes part only in unit B's:
    a file posted to unit A's complaint is refused like a comment, and nothing is stored."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from casework.models import Attachment, CaseEvent

    both = UserFactory(username="admin_and_handler_b", role="admin")
    both.groups.add(*UserFactory(role="handler").groups.all())
    unit_b.members.add(both)
    complaint = complaints.complaint_register(
        actor=agent, customer=CustomerFactory(), kind="complaint", channel="hotline",
        received_at=timezone.now() - timedelta(hours=1), category="price", subject="收费", description="收费。",
        customer_demand="", target="", priority="normal", complainant_class="", estimated_loss=None, is_major=False)
    complaint = complaints.complaint_contact(complaint=complaint, actor=agent, note="已联系")
    complaints.complaint_dispatch(complaint=complaint, actor=agent, unit=unit_a)
    client = Client()
    client.force_login(both)
    assert client.get(f"/complaints/{complaint.number}/").status_code == 200
    assert client.post(f"/complaints/{complaint.number}/comment/", {"text": "x"}).status_code == 403
    upload = SimpleUploadedFile("note.txt", b"plain text", content_type="text/plain")
    assert client.post(f"/complaints/{complaint.number}/attachments/", {"file": upload}).status_code == 403
    assert not Attachment.objects.exists()
    assert not CaseEvent.objects.filter(case_id=complaint.pk, actor=both).exists()
