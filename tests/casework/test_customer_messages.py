"""Messages to the customer (issue 12): at registration (the case number and the expected handling
time), at each customer-facing reply (a complaint's progress reply, a proposal's decision) and at
closure; by e-mail and SMS through the outbox, on the case's timeline, retried and shown to staff
when a send fails, never lost; nothing when the action is refused."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from casework.models import CaseEvent
from complaints import services as complaints
from complaints.models import Complaint
from proposals import services as proposals
from proposals.models import Proposal
from satisfaction import outbox
from satisfaction.models import CustomerMessage
from sla.models import Milestone, MilestoneKind

from ..factories import CustomerFactory

pytestmark = pytest.mark.django_db

PORTAL_COMPLAINT = {"name": "张伟", "phone": "13800138000", "email": "zhangwei@example.com",
                    "category": "product_quality", "subject": "新车异响", "description": "提车一周，底盘有异响。",
                    "captcha_0": "test", "captcha_1": "passed"}  # the CAPTCHA in the tests' mode


def messages_of(case) -> list[tuple[str, str]]:
    return [(m.channel, m.body) for m in CustomerMessage.objects.filter(case_number=case.number).order_by("pk")]


def queued_notes(case) -> list[str]:
    return [e.text for e in CaseEvent.objects.filter(case_id=case.pk, action="customer_message",
                                                     case_type__model=case._meta.model_name)]


def due(case, kind) -> str:
    milestone = Milestone.objects.get(case_id=case.pk, kind=kind, case_type__model=case._meta.model_name)
    return timezone.localtime(milestone.due_at).strftime("%Y-%m-%d")


@pytest.fixture
def complaint(agent):
    customer = CustomerFactory(name="李娜", phone="13912345678", email="lina@example.com")
    return complaints.complaint_register(actor=agent, customer=customer, channel="phone", received_at=timezone.now(),
                                         category="product_quality", subject="异响", description="底盘异响")


def test_a_portal_complaint_tells_the_customer_its_number_and_expected_time(client, agent, mailoutbox,
                                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("portal:complaint"), PORTAL_COMPLAINT).status_code == 302
    complaint = Complaint.objects.get()
    rows = messages_of(complaint)
    assert [channel for channel, _ in rows] == ["email", "sms"]
    for _, body in rows:
        assert complaint.number in body and due(complaint, MilestoneKind.RESOLUTION) in body
    # Delivered after the commit (the task runs in process in the tests).
    [mail] = mailoutbox
    assert mail.to == ["zhangwei@example.com"] and complaint.number in mail.subject
    assert all(m.sent_at is not None for m in CustomerMessage.objects.all())
    # On the timeline, with the subject only: no address, number or text.
    [note] = queued_notes(complaint)
    assert complaint.number in note and "13800138000" not in note and "zhangwei" not in note


def test_a_progress_reply_and_the_closure_queue_one_message_each(complaint, agent, manager):
    complaint = complaints.complaint_contact(complaint=complaint, actor=agent, note="已联系")
    before = CustomerMessage.objects.count()
    complaint = complaints.complaint_reply_progress(complaint=complaint, actor=agent, note="技师周三上门检查底盘")
    assert CustomerMessage.objects.count() == before + 2
    assert all("技师周三上门检查底盘" in body for _, body in messages_of(complaint)[-2:])
    complaints.complaint_force_close(complaint=complaint, actor=manager, reason="内部原因：客户重复来电")
    closing = messages_of(complaint)[-2:]
    assert CustomerMessage.objects.count() == before + 4
    assert all(complaint.number in body and "内部原因" not in body for _, body in closing)
    assert len(queued_notes(complaint)) == 3  # registration, the reply, the closure


def test_a_refused_action_queues_nothing(complaint, handler_a):
    before = CustomerMessage.objects.count()
    with pytest.raises(PermissionDenied):
        complaints.complaint_force_close(complaint=complaint, actor=handler_a, reason="x")
    assert CustomerMessage.objects.count() == before and len(queued_notes(complaint)) == 1


def test_a_customer_without_email_gets_only_the_sms(agent):
    customer = CustomerFactory(phone="13700001111", email="")
    complaint = complaints.complaint_register(actor=agent, customer=customer, channel="phone",
                                              received_at=timezone.now(), category="product_quality",
                                              subject="x", description="y")
    assert [channel for channel, _ in messages_of(complaint)] == ["sms"]


def test_a_proposal_tells_its_number_and_the_decision(agent, manager, handler_a, unit_a):
    customer = CustomerFactory(phone="13600001111", email="wang@example.com")
    proposal = proposals.proposal_register(actor=agent, customer=customer, channel="written",
                                           received_at=timezone.now(), category="process_efficiency",
                                           subject="合并工序", content="建议合并两道检验工序")
    registered = messages_of(proposal)
    assert len(registered) == 2
    assert all(proposal.number in body and due(proposal, MilestoneKind.PROPOSAL_FEEDBACK) in body
               for _, body in registered)
    proposal = proposals.proposal_acknowledge(proposal=proposal, actor=agent, note="已致谢")
    assert len(messages_of(proposal)) == 4  # the thanks
    proposal = proposals.proposal_route(proposal=proposal, actor=manager, unit=unit_a)
    proposal = proposals.proposal_evaluate(proposal=proposal, actor=handler_a, decision="not_adopted",
                                           opinion="内部意见：成本过高")
    assert len(messages_of(proposal)) == 4  # the evaluation is internal
    proposal = proposals.proposal_feedback(proposal=proposal, actor=agent, handling_satisfaction="satisfied",
                                           note="已电话告知")
    assert Proposal.objects.get().state == "closed"
    # The decision, which also says it is closed: one message a channel, not a second closing one.
    decision = messages_of(proposal)[4:]
    assert len(decision) == 2
    assert all(proposal.number in body and "内部意见" not in body for _, body in decision)


def test_acknowledging_a_proposal_sends_the_customer_what_the_desk_wrote(agent, mailoutbox,
                                                                         django_capture_on_commit_callbacks):
    """The `acknowledge` form records "what the customer was told (thanks, expected time and unit)":
    a reply meant for the customer, so it goes to them, like a complaint's progress reply."""
    agent.first_name, agent.last_name = "晓明", "王"
    agent.save()
    customer = CustomerFactory(name="王芳", phone="13600002222", email="wangfang@example.com")
    proposal = proposals.proposal_register(actor=agent, customer=customer, channel="written",
                                           received_at=timezone.now(), category="process_efficiency",
                                           subject="合并工序", content="建议合并两道检验工序")
    thanks = "感谢您的宝贵建议！质量部将研究，预计十个工作日内答复您。"
    with django_capture_on_commit_callbacks(execute=True):
        proposals.proposal_acknowledge(proposal=proposal, actor=agent, note=thanks)
    acknowledged = messages_of(proposal)[2:]
    assert [channel for channel, _ in acknowledged] == ["email", "sms"]
    for _, body in acknowledged:
        assert proposal.number in body and thanks in body
        assert "晓明" not in body and "agent" not in body  # no staff name
    mail = mailoutbox[-1]
    assert mail.to == ["wangfang@example.com"] and thanks in mail.body and proposal.number in mail.subject
    # On the timeline after the acknowledgement, with the subject only.
    assert queued_notes(proposal)[-1] == (f"Message to the customer queued: Thank you for your proposal "
                                          f"{proposal.number}")
    actions = list(CaseEvent.objects.filter(case_id=proposal.pk, case_type__model="proposal")
                   .order_by("pk").values_list("action", flat=True))
    assert actions[-2:] == ["acknowledge", "customer_message"]


def test_a_failing_mail_server_is_retried_and_shown_never_lost(complaint, agent_client, handler_a_client, unit_a,
                                                                agent, monkeypatch, mailoutbox):
    real_send_mail = outbox.send_mail

    def mail_server_down(**kwargs):
        raise ConnectionRefusedError("smtp down for lina@example.com")

    monkeypatch.setattr(outbox, "send_mail", mail_server_down)
    assert outbox.customer_messages_send_pending() == (1, 1)  # the SMS went, the e-mail did not
    email = CustomerMessage.objects.get(channel="email")
    assert (email.sent_at, email.attempts, email.last_error) == (None, 1, "ConnectionRefusedError")
    page = agent_client.get(f"/complaints/{complaint.number}/").content.decode()
    assert "lina@example.com" in page and "ConnectionRefusedError" in page
    # A handler sees the address masked.
    complaint = complaints.complaint_contact(complaint=complaint, actor=agent, note="已联系")
    complaints.complaint_dispatch(complaint=complaint, actor=agent, unit=unit_a)
    page = handler_a_client.get(f"/complaints/{complaint.number}/").content.decode()
    table = page.split('class="customer-messages"', 1)[1].split("</table>", 1)[0]
    assert email.masked_to in table and "lina@example.com" not in table

    monkeypatch.setattr(outbox, "send_mail", real_send_mail)
    assert outbox.customer_messages_send_pending() == (1, 0)
    assert CustomerMessage.objects.get(channel="email").sent_at is not None
    [mail] = mailoutbox
    assert complaint.number in mail.body
