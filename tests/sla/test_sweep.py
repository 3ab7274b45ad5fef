"""The sweep: each threshold escalated exactly once, to the right people, in the timeline,
with a query count that does not grow with the number of cases."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import CaseEvent, Notification
from complaints.models import Complaint
from sla.models import Escalation, Milestone
from sla.next_deadline import cases_next_due_rebuild, cases_next_due_refresh_of
from sla.sweep import sla_sweep

from ..factories import UserFactory, overdue_milestones


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def one(now, unit_a, handler_a, agent):
    unit_a.lead = handler_a
    unit_a.save()
    [milestone] = overdue_milestones(1, now=now, unit=unit_a, owner=agent)
    return milestone


def levels(milestone):
    return sorted(Escalation.objects.filter(milestone=milestone).values_list("level", flat=True))


def test_thresholds_escalate_in_order_and_once(one, now):
    one.due_at, one.overdue_at = now + timedelta(hours=1), now + timedelta(days=1)
    one.save()
    cases_next_due_refresh_of([one])
    assert sla_sweep(now=now).raised == {0: 1}  # 80% gone: warning
    assert sla_sweep(now=now).total == 0
    assert sla_sweep(now=now + timedelta(hours=2)).raised == {1: 1}  # missed: level 1
    assert sla_sweep(now=now + timedelta(hours=3)).total == 0
    assert sla_sweep(now=now + timedelta(days=2)).raised == {2: 1}  # a working day over: level 2
    assert sla_sweep(now=now + timedelta(days=3)).total == 0
    assert levels(one) == [0, 1, 2]
    one.refresh_from_db()
    assert (one.status, one.escalated_level) == ("breached", 2)
    complaint = Complaint.objects.get(pk=one.case_id)
    assert complaint.escalation_level == 2
    events = CaseEvent.objects.filter(case_id=complaint.pk, kind="escalation").order_by("pk")
    assert list(events.values_list("action", flat=True)) == ["sla_level_0", "sla_level_1", "sla_level_2"]


def test_a_sweep_that_finds_everything_at_once_raises_every_level(one, now):
    assert sla_sweep(now=now + timedelta(days=2)).raised == {0: 1, 1: 1, 2: 1}
    assert Complaint.objects.get(pk=one.case_id).escalation_level == 2


def test_met_milestones_are_left_alone(one, now):
    Milestone.objects.filter(pk=one.pk).update(met_at=now - timedelta(minutes=1), status="breached")
    cases_next_due_refresh_of([one])
    assert sla_sweep(now=now + timedelta(days=5)).total == 0


def test_open_three_months_is_level_3(now, agent):
    [long_open] = overdue_milestones(1, now=now, kind="long_open", owner=agent)
    Milestone.objects.filter(pk=long_open.pk).update(warn_at=None, overdue_at=None)
    cases_next_due_refresh_of([long_open])
    assert sla_sweep(now=now).raised == {3: 1}
    assert Complaint.objects.get(pk=long_open.case_id).escalation_level == 3


def test_notifications_go_to_the_right_people(one, now, agent, handler_a, manager, admin_user,
                                              django_capture_on_commit_callbacks):
    agent.email, handler_a.email = "agent@example.com", "handler@example.com"
    agent.save()
    handler_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        sla_sweep(now=now)  # level 0 and 1 (due 5 minutes ago, warned 10 hours ago)
    recipients = {n.recipient.username for n in Notification.objects.all()}
    assert recipients == {"handler_a", "agent"}  # the unit's handler (also its lead) and the owner
    assert Escalation.objects.filter(notified_at__isnull=True).count() == 0
    # Levels 0 and 1 crossed in one sweep: one notice each, at level 1.
    assert sorted(m.to[0] for m in mail.outbox) == ["agent@example.com", "handler@example.com"]
    assert all("missed its deadline" in n.message for n in Notification.objects.all())

    with django_capture_on_commit_callbacks(execute=True):
        sla_sweep(now=now + timedelta(days=2))  # level 2: the managers too
    level2 = Notification.objects.filter(source__startswith="escalation:").exclude(
        source__in=[f"escalation:{e.pk}" for e in Escalation.objects.filter(level__lt=2)])
    assert {n.recipient.username for n in level2} == {"handler_a", "agent", "manager"}


def test_a_failing_mail_server_neither_stops_the_sweep_nor_loses_the_notice(one, now, agent, monkeypatch,
                                                                             django_capture_on_commit_callbacks):
    agent.email = "agent@example.com"
    agent.save()

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("casework.notifications.send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        result = sla_sweep(now=now)
    assert result.raised == {0: 1, 1: 1}
    unsent = Notification.objects.get(recipient=agent)
    assert unsent.emailed_at is None and unsent.email_attempts >= 1

    monkeypatch.undo()
    from casework.notifications import notifications_send_pending

    assert notifications_send_pending() == (1, 0)
    assert Notification.objects.get(recipient=agent).emailed_at is not None


def test_a_broker_outage_delays_notification_but_loses_nothing(one, now, monkeypatch,
                                                               django_capture_on_commit_callbacks):
    from sla import tasks

    def down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.notify_escalations, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        assert sla_sweep(now=now).total == 2
    assert Notification.objects.count() == 0
    assert Escalation.objects.filter(notified_at__isnull=True).count() == 2

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        later = sla_sweep(now=now + timedelta(minutes=5))
    assert later.total == 0 and later.redelivered == 1
    assert Escalation.objects.filter(notified_at__isnull=True).count() == 0
    assert Notification.objects.exists()


def count_sweep_queries(n, now):
    overdue_milestones(n, now=now, owner=UserFactory(role="agent"))
    with CaptureQueriesContext(connection) as queries:
        assert sla_sweep(now=now).raised[1] == n
    Milestone.objects.all().delete()
    cases_next_due_rebuild(cases=Complaint.objects.all(), clocks=Milestone.objects.all())
    return len(queries)


def test_query_count_does_not_grow_with_the_number_of_cases(db, now):
    assert count_sweep_queries(10, now) == count_sweep_queries(1000, now)
