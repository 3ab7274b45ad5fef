"""The satisfaction survey's link in the complaint's closure message (issue 12: "Messages to the
customer … at closure (with the satisfaction-survey link where one is due)"). With
SURVEY_AFTER_CLOSED_COMPLAINT on and SURVEY_AFTER_CLOSED_COMPLAINT_METHOD "link", the special survey
made at the closure is sent by the system in the closure's transaction — its own `send` step: due
time, answer clock, timeline entry — and its one-time link goes in the closure message, one message
a channel. By phone (the default) the survey waits, planned, for the desk's call."""

import logging
import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from casework.models import CaseEvent
from complaints import services
from satisfaction import outbox
from satisfaction.links import survey_from_link
from satisfaction.models import CustomerMessage, Survey
from sla.models import Milestone

from ..factories import CustomerFactory
from .steps import at, post_action, reload, timeline

LINK = re.compile(r"http://127\.0\.0\.1:8000(/s/([^/\s]+)/)")


@pytest.fixture
def by_link(settings):
    settings.SURVEY_AFTER_CLOSED_COMPLAINT = True
    settings.SURVEY_AFTER_CLOSED_COMPLAINT_METHOD = "link"


@pytest.fixture
def complaint(agent):
    customer = CustomerFactory(name="李娜", phone="13912345678", email="lina@example.com")
    return services.complaint_register(actor=agent, customer=customer, channel="phone", received_at=timezone.now(),
                                       category="product_quality", subject="异响", description="底盘异响")


def close(complaint, agent):
    """Solved during the call: the desk closes it, the customer confirming."""
    return services.complaint_resolve_on_the_spot(complaint=complaint, actor=agent, note="电话中指导复位，已正常")


def closure_messages(complaint) -> list[CustomerMessage]:
    return list(CustomerMessage.objects.filter(case_number=complaint.number, subject__contains="closed")
                .order_by("channel"))


def test_the_closure_mail_carries_the_link_that_opens_the_questionnaire(by_link, questionnaire, complaint, agent,
                                                                       client, mailoutbox, caplog, clock):
    clock("2026-07-06 10:00")
    closed = close(complaint, agent)
    survey = Survey.objects.get(complaint=closed)
    # Sent with the closure, as the desk's `send` would: due time, the answer clock, the link issued.
    assert (survey.state, survey.contact_method, survey.campaign) == ("sent", "email", None)
    assert survey.sent_at == closed.closed_at == at("2026-07-06 10:00")
    assert survey.due_at == at("2026-07-20 10:00")  # SURVEY_SPECIAL_ANSWER_WITHIN_DAYS
    clock = Milestone.objects.get(case_id=survey.pk, case_type__model="survey", kind="survey_response")
    assert (clock.status, clock.due_at) == ("pending", survey.due_at)
    # Its timeline: made by the closure, then sent with the closure message — by the system, no person.
    assert [(action, to_state) for action, _from, to_state, _note in timeline(survey)] == [
        ("special", "planned"), ("send", "sent")]
    send = CaseEvent.objects.get(case_id=survey.pk, case_type__model="survey", action="send")
    assert send.actor is None and send.note == ""
    with translation.override("en"):  # what the survey's page shows, in the reader's language
        assert f"Sent with the closure message of complaint {closed.number}" in send.text
    with translation.override("zh-hans"):
        assert f"随投诉 {closed.number} 的结案通知一并发送" in send.text

    # One closure message a channel and none of the survey's own; the link kept out of the stored text.
    messages = closure_messages(closed)
    assert [m.channel for m in messages] == ["email", "sms"]
    assert not CustomerMessage.objects.filter(case_number=survey.number).exists()
    assert all(m.survey == survey and outbox.LINK_PLACEHOLDER in m.body and "/s/" not in m.body
               and LINK.fullmatch(m.link) for m in messages)
    assert list(survey.messages.order_by("channel")) == messages  # on the survey's page too

    with caplog.at_level(logging.INFO, logger="satisfaction.sms"):
        assert outbox.customer_messages_send_pending() == (4, 0)  # registration and closure, two channels each
    mail = next(m for m in mailoutbox if "closed" in m.subject)
    assert mail.to == ["lina@example.com"] and closed.number in mail.body and survey.number in mail.body
    assert "open until 2026-07-20" in mail.body
    assert "{link}" not in mail.body
    path, token = LINK.search(mail.body).groups()
    [sms] = [r.getMessage() for r in caplog.records if "is closed" in r.getMessage()]
    assert LINK.search(sms).group(2) == token  # the same link by SMS
    assert survey_from_link(token=token) == reload(survey)
    # Delivered: the working link is no longer kept in the outbox.
    assert [m.link for m in closure_messages(closed)] == ["", ""]

    page = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert page.status_code == 200
    html = page.content.decode()
    assert survey.number in html and "您对服务的总体满意程度？" in html and 'type="radio"' in html


def test_by_phone_by_default_no_link_is_sent(settings, questionnaire, complaint, agent, mailoutbox):
    settings.SURVEY_AFTER_CLOSED_COMPLAINT = True
    assert settings.SURVEY_AFTER_CLOSED_COMPLAINT_METHOD == "phone"  # the default
    closed = close(complaint, agent)
    survey = Survey.objects.get(complaint=closed)
    assert (survey.state, survey.contact_method, survey.sent_at) == ("planned", "phone", None)
    assert [action for action, *_ in timeline(survey)] == ["special"]
    outbox.customer_messages_send_pending()
    mail = next(m for m in mailoutbox if "closed" in m.subject)
    assert "/s/" not in mail.body and "We may call you to ask how satisfied you are" in mail.body
    assert not CustomerMessage.objects.exclude(link="").exists()
    assert not CustomerMessage.objects.filter(survey__isnull=False).exists()


def test_without_the_survey_setting_the_method_alone_sends_nothing(settings, questionnaire, complaint, agent,
                                                                   mailoutbox):
    settings.SURVEY_AFTER_CLOSED_COMPLAINT_METHOD = "link"  # but no survey after closed complaints
    closed = close(complaint, agent)
    assert not Survey.objects.exists()
    outbox.customer_messages_send_pending()
    mail = next(m for m in mailoutbox if "closed" in m.subject)
    assert closed.number in mail.body and "/s/" not in mail.body and "survey" not in mail.body


def test_a_major_complaints_survey_stays_a_phone_call(by_link, questionnaire, agent, manager):
    """Made at intake by phone (a major complaint is worth a call), it is not turned into a link."""
    customer = CustomerFactory(email="wang@example.com")
    major = services.complaint_register(actor=agent, customer=customer, channel="phone", received_at=timezone.now(),
                                        category="product_quality", subject="x", description="y",
                                        estimated_loss=Decimal("60000"))
    services.complaint_force_close(complaint=major, actor=manager, reason="重复登记")
    survey = Survey.objects.get(complaint=major)
    assert (survey.state, survey.contact_method) == ("planned", "phone")
    assert not CustomerMessage.objects.exclude(link="").exists()


def test_a_reminder_before_delivery_withdraws_the_link_but_not_the_closure(by_link, questionnaire, complaint, agent,
                                                                           agent_client, mailoutbox):
    closed = close(complaint, agent)
    survey = Survey.objects.get(complaint=closed)
    assert post_action(agent_client, survey, "remind").status_code == 302
    # The closure messages lost the old link (it no longer works) but still go out; the reminder has the new one.
    assert [(m.link, m.superseded_at) for m in closure_messages(closed)] == [("", None), ("", None)]
    outbox.customer_messages_send_pending()
    closure = next(m for m in mailoutbox if "closed" in m.subject)
    reminder = next(m for m in mailoutbox if m.subject == f"Satisfaction survey {survey.number}")
    assert closed.number in closure.body and "/s/" not in closure.body and "{link}" not in closure.body
    assert survey_from_link(token=LINK.search(reminder.body).group(2)) == reload(survey)


def test_a_survey_answered_before_delivery_leaves_the_link_out(by_link, questionnaire, complaint, agent,
                                                               agent_client, mailoutbox):
    closed = close(complaint, agent)
    survey = Survey.objects.get(complaint=closed)
    assert post_action(agent_client, survey, "record_answers", method="phone", q1="5", q2="会").status_code == 302
    assert reload(survey).state == "answered"
    outbox.customer_messages_send_pending()
    closure = next(m for m in mailoutbox if "closed" in m.subject)
    assert closed.number in closure.body and "/s/" not in closure.body and "{link}" not in closure.body
