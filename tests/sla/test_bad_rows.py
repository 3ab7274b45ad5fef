"""One bad row never stops a batch for the others (issue 8): a date out of Python's range,
written before dates were bounded, used to fail the whole sweep's notifications."""

from datetime import UTC, date, datetime

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone

from casework.models import Notification
from casework.notifications import notifications_send_pending
from sla.models import CalendarDay, Escalation, Milestone
from sla.notifications import escalations_notify
from sla.sweep import sla_sweep

from ..factories import UserFactory, overdue_milestones


def corrupt_due_at(milestone) -> None:
    """What `received_at=0001-01-01T00:00` (Beijing time) became in the database: 1 BC in UTC."""
    table = Milestone._meta.db_table
    value = "0001-01-01 00:00:00+08" if connection.vendor == "postgresql" else "0000-12-31 16:00:00"
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET due_at = %s WHERE id = %s", [value, milestone.pk])


@pytest.mark.clocks_corrupted
def test_an_unreadable_milestone_does_not_silence_the_others(db, unit_a, handler_a):
    now = timezone.now()
    good, bad, also_good = overdue_milestones(3, now=now, unit=unit_a)
    result = sla_sweep(now=now)
    assert result.raised[1] == 3
    corrupt_due_at(bad)

    assert escalations_notify(sweep_id=result.sweep_id) > 0

    notified = set(Escalation.objects.filter(notified_at__isnull=False).values_list("milestone_id", flat=True))
    assert good.pk in notified and also_good.pk in notified and bad.pk not in notified
    assert set(Notification.objects.values_list("case_number", flat=True)) == {good.case_number,
                                                                               also_good.case_number}


def test_a_failing_message_does_not_stop_the_outbox(db, monkeypatch):
    people = [UserFactory(email=f"p{i}@example.com") for i in range(3)]
    for person in people:
        Notification.objects.create(recipient=person, message="hello", case_number="TS1")
    real_send = mail.get_connection().__class__.send_messages

    def refuse_the_second(self, messages):
        if messages[0].to == ["p1@example.com"]:
            raise ConnectionResetError("refused")
        return real_send(self, messages)

    monkeypatch.setattr(mail.get_connection().__class__, "send_messages", refuse_the_second)
    assert notifications_send_pending() == (2, 1)
    assert sorted(m.to[0] for m in mail.outbox) == ["p0@example.com", "p2@example.com"]
    refused = Notification.objects.get(recipient=people[1])
    assert (refused.emailed_at, refused.email_attempts) == (None, 1)


def test_the_outbox_is_drained_not_capped(db):
    person = UserFactory(email="busy@example.com")
    Notification.objects.bulk_create(Notification(recipient=person, message=f"n{i}", source=f"test:{i}")
                                     for i in range(450))
    assert notifications_send_pending() == (450, 0)
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_each_message_is_marked_sent_as_it_is_handed_over(db, monkeypatch):
    """A worker killed mid-run must not send again what the mail server already took."""
    people = [UserFactory(email=f"k{i}@example.com") for i in range(3)]
    for person in people:
        Notification.objects.create(recipient=person, message="hello")
    real_send = mail.get_connection().__class__.send_messages

    def killed_at_the_third(self, messages):
        if messages[0].to == ["k2@example.com"]:
            raise KeyboardInterrupt  # what a worker's death looks like from inside the loop
        return real_send(self, messages)

    monkeypatch.setattr(mail.get_connection().__class__, "send_messages", killed_at_the_third)
    try:
        notifications_send_pending()
    except KeyboardInterrupt:
        pass
    sent = set(Notification.objects.filter(emailed_at__isnull=False).values_list("recipient__email", flat=True))
    assert sent == {"k0@example.com", "k1@example.com"}
    monkeypatch.undo()
    mail.outbox.clear()
    assert notifications_send_pending() == (1, 0)
    assert [m.to for m in mail.outbox] == [["k2@example.com"]]


@pytest.mark.parametrize("model, field, value", [
    ("complaints.Complaint", "received_at", datetime(1, 1, 1, tzinfo=UTC)),
    ("proposals.Proposal", "received_at", datetime(9999, 12, 31, tzinfo=UTC)),
    ("proposals.Proposal", "planned_implementation_on", date(9999, 12, 31)),
    ("sla.CalendarDay", "date", date(1, 1, 1)),
])
def test_the_admin_forms_get_the_same_bounds_from_the_model(model, field, value):
    """Django's admin validates through the model's fields."""
    with pytest.raises(ValidationError):
        apps.get_model(model)._meta.get_field(field).run_validators(value)


def test_an_impossible_holiday_is_refused_in_the_admin(db):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(superuser)
    response = client.post("/admin/sla/calendarday/add/", {"date": "0001-01-01", "kind": "holiday", "name": "x"})
    assert response.status_code == 200 and "date" in response.context["adminform"].form.errors
    assert not CalendarDay.objects.exists()


def corrupt_started_at(milestone) -> None:
    table = Milestone._meta.db_table
    value = "0001-01-01 00:00:00+08" if connection.vendor == "postgresql" else "0000-12-31 16:00:00"
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET started_at = %s WHERE id = %s", [value, milestone.pk])


@pytest.mark.clocks_corrupted
def test_a_policy_change_moves_every_readable_deadline_past_a_bad_row(db):
    from sla.models import SlaPolicy
    from sla.services import policy_reapply

    policy = SlaPolicy.objects.get(case_kind="complaint", milestone="resolution", priority="")
    milestones = overdue_milestones(3, now=timezone.now())
    Milestone.objects.update(policy=policy)
    corrupt_started_at(milestones[1])
    policy.target += 5
    policy.save()

    assert policy_reapply(policy=policy) == 2
    for milestone in (milestones[0], milestones[2]):
        assert Milestone.objects.get(pk=milestone.pk).due_at > timezone.now()
