"""The one-time link goes to the customer (seed 002 第六条(一): the questionnaire by letter or e-mail;
(二): by phone, fax or e-mail): by e-mail through Django's mail and by SMS through the configured
sender, from an outbox written with the step and delivered after the commit; a failure is retried
and shown, never lost."""

import logging

import pytest

from satisfaction import outbox, tasks
from satisfaction.links import survey_from_link
from satisfaction.models import CustomerMessage

from ..factories import CustomerFactory
from .steps import at, post_action, reload


@pytest.fixture
def survey(make_survey, unit_a):
    return make_survey(responsible_unit=unit_a,
                       customer=CustomerFactory(name="李娜", phone="13912345678", email="lina@example.com"))


def token_in(text: str) -> str:
    return text.split("http://127.0.0.1:8000/s/", 1)[1].split("/", 1)[0]


def test_the_link_goes_out_by_email_and_sms_after_the_commit(survey, clock, agent_client, mailoutbox, caplog,
                                                             monkeypatch, django_capture_on_commit_callbacks):
    enqueued = []
    monkeypatch.setattr(outbox, "enqueue", lambda task: enqueued.append(task.name))
    clock("2026-07-06 10:00")
    with django_capture_on_commit_callbacks(execute=True):
        assert post_action(agent_client, survey, "send").status_code == 302
        assert enqueued == []  # not before the step is committed
    assert enqueued == ["satisfaction.tasks.send_customer_messages"]

    with caplog.at_level(logging.INFO, logger="satisfaction.sms"):
        assert tasks.send_customer_messages() == 2
    [mail] = mailoutbox
    assert (mail.to, mail.subject) == (["lina@example.com"], f"Satisfaction survey {survey.number}")
    assert mail.body.startswith(f"Dear 李娜, please tell us how satisfied you are with our service: survey "
                                f"{survey.number}, open until 2026-07-20. Open this link (it works once): "
                                "http://127.0.0.1:8000/s/")
    assert survey_from_link(token=token_in(mail.body), now=at("2026-07-06 10:05")) == reload(survey)
    [sms_log] = [r.getMessage() for r in caplog.records if r.name == "satisfaction.sms"]
    assert sms_log.startswith("SMS to 139****5678: Dear 李娜")  # the number masked in the log
    assert "13912345678" not in caplog.text
    # Delivered: sent, and the working link is no longer kept in the outbox.
    rows = list(CustomerMessage.objects.order_by("channel").values_list("channel", "to", "attempts", "link"))
    assert rows == [("email", "lina@example.com", 1, ""), ("sms", "13912345678", 1, "")]
    assert all(m.sent_at == at("2026-07-06 10:00") for m in CustomerMessage.objects.all())
    assert tasks.send_customer_messages() == 0  # nothing twice


def test_a_refused_step_writes_no_message(survey, clock, agent_client):
    clock("2026-07-06 10:00")
    assert post_action(agent_client, survey, "send", version=survey.version + 5).status_code == 409
    assert (reload(survey).state, CustomerMessage.objects.count()) == ("planned", 0)


def test_a_failing_email_is_retried_and_shown_never_lost(survey, clock, agent_client, handler_a_client, mailoutbox,
                                                          monkeypatch, settings):
    settings.SMS_SENDER = "tests.satisfaction.failing_sms.DownSmsSender"
    clock("2026-07-06 10:00")
    assert post_action(agent_client, survey, "send").status_code == 302
    real_send_mail = outbox.send_mail

    def mail_server_down(**kwargs):
        # What real servers do: the refusal repeats the address (shown to nobody, logged nowhere).
        raise ConnectionRefusedError("smtp down for lina@example.com")

    monkeypatch.setattr(outbox, "send_mail", mail_server_down)
    assert outbox.customer_messages_send_pending() == (0, 2)
    email, sms = CustomerMessage.objects.order_by("channel")
    assert (email.attempts, email.sent_at, email.last_error) == (1, None, "ConnectionRefusedError")
    assert (sms.attempts, sms.last_error) == (1, "ConnectionError")
    # The task backs off and tries again.
    with pytest.raises(Exception, match="2 messages to customers failed"):
        tasks.send_customer_messages.apply(throw=True).get()
    page = agent_client.get(f"/satisfaction/{survey.number}/").content.decode()
    assert "Failed, will be retried" in page and "ConnectionRefusedError" in page
    assert "lina@example.com" in page  # the desk sees the address
    unit_page = handler_a_client.get(f"/satisfaction/{survey.number}/").content.decode()
    assert "l***@example.com" in unit_page and "139****5678" in unit_page
    assert "lina@example.com" not in unit_page and "13912345678" not in unit_page
    assert "smtp down" not in page + unit_page  # the failure's own text could carry the address

    monkeypatch.setattr(outbox, "send_mail", real_send_mail)
    assert outbox.customer_messages_send_pending() == (1, 1)
    assert [m.to for m in mailoutbox] == [["lina@example.com"]]
    email.refresh_from_db()
    assert (email.attempts, email.last_error, email.link) == (3, "", "")


def test_after_the_last_attempt_a_message_stays_shown_as_failed(survey, clock, agent_client, settings):
    settings.SMS_SENDER = "tests.satisfaction.failing_sms.DownSmsSender"
    settings.CUSTOMER_MESSAGE_MAX_ATTEMPTS = 2
    survey.customer.email = ""
    survey.customer.save()
    clock("2026-07-06 10:00")
    assert post_action(agent_client, survey, "send").status_code == 302
    assert outbox.customer_messages_send_pending() == (0, 1)
    assert outbox.customer_messages_send_pending() == (0, 1)
    assert outbox.customer_messages_send_pending() == (0, 0)
    [sms] = CustomerMessage.objects.all()
    assert (sms.attempts, sms.status) == (2, "Failed: no more attempts")
    assert "Failed: no more attempts" in agent_client.get(f"/satisfaction/{survey.number}/").content.decode()


def test_a_reminder_supersedes_a_link_not_yet_delivered(survey, clock, agent_client, mailoutbox):
    clock("2026-07-06 10:00")
    assert post_action(agent_client, survey, "send").status_code == 302
    clock("2026-07-13 09:00")
    assert post_action(agent_client, survey, "remind").status_code == 302
    assert outbox.customer_messages_send_pending() == (2, 0)
    [mail] = mailoutbox
    assert "a reminder" in mail.body
    assert survey_from_link(token=token_in(mail.body), now=at("2026-07-13 09:05")).pk == survey.pk
    statuses = list(CustomerMessage.objects.order_by("pk").values_list("channel", "superseded_at", "sent_at"))
    assert statuses == [("email", at("2026-07-13 09:00"), None), ("sms", at("2026-07-13 09:00"), None),
                        ("email", None, at("2026-07-13 09:00")), ("sms", None, at("2026-07-13 09:00"))]


def test_a_message_of_a_survey_answered_meanwhile_is_not_sent(survey, clock, agent_client, settings):
    """The desk took the answers by phone while the mail server was away: the customer is not sent a
    link that only says "already answered"."""
    settings.SMS_SENDER = "tests.satisfaction.failing_sms.DownSmsSender"
    clock("2026-07-06 10:00")
    assert post_action(agent_client, survey, "send").status_code == 302
    clock("2026-07-06 11:00")
    assert post_action(agent_client, survey, "record_answers", q1="5", q2="会", method="phone").status_code == 302
    assert outbox.customer_messages_send_pending() == (0, 0)
    assert not CustomerMessage.objects.filter(survey=survey, sent_at__isnull=False).exists()
