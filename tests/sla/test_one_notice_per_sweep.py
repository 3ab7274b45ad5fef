"""A case that crosses several thresholds in one sweep (registered late, or found after an outage)
is told once, at its highest level, to each person; every level is still recorded as reached. An
administrator told of a case opens it, read-only."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from casework.models import CaseEvent, Notification
from complaints.models import Complaint
from sla.models import Escalation, Milestone
from sla.sweep import sla_sweep

from ..factories import UserFactory, clock_create, overdue_milestones


@pytest.fixture
def now():
    return timezone.now()


def sweep(now, capture):
    with capture(execute=True):
        return sla_sweep(now=now)


def test_a_clock_past_every_threshold_gives_one_notice_per_person_at_level_3(
        now, unit_a, handler_a, agent, manager, admin_user, django_capture_on_commit_callbacks):
    for person in (handler_a, agent, manager, admin_user):
        person.email = f"{person.username}@example.com"
        person.save()
    [long_open] = overdue_milestones(1, now=now, kind="long_open", unit=unit_a, owner=agent)
    # Open for more than three months and past its warning: levels 0 and 3 at once.
    assert sweep(now, django_capture_on_commit_callbacks).raised == {0: 1, 3: 1}

    notices = Notification.objects.all()
    assert sorted(n.recipient.username for n in notices) == ["admin", "agent", "handler_a", "manager"]
    assert all("company-level project" in n.message for n in notices)  # the level-3 text, never the warning
    assert sorted(m.to[0] for m in mail.outbox) == [
        "admin@example.com", "agent@example.com", "handler_a@example.com", "manager@example.com"]
    # Nothing lost: both levels are recorded as reached, on the clock, the case and its timeline.
    long_open.refresh_from_db()
    assert long_open.escalated_level == 3
    assert Complaint.objects.get(pk=long_open.case_id).escalation_level == 3
    assert sorted(CaseEvent.objects.filter(case_id=long_open.case_id, kind="escalation")
                  .values_list("action", flat=True)) == ["sla_level_0", "sla_level_3"]
    assert not Escalation.objects.filter(notified_at__isnull=True).exists()

    # Run again (a retried task, a later sweep): nobody is told twice.
    sweep(now + timedelta(minutes=5), django_capture_on_commit_callbacks)
    from sla.notifications import escalations_notify

    assert escalations_notify(sweep_id=Escalation.objects.first().sweep_id) == 0
    assert Notification.objects.count() == 4


def test_an_old_case_with_several_late_clocks_is_one_notice_at_the_highest_level(
        now, unit_a, handler_a, agent, manager, django_capture_on_commit_callbacks):
    [resolution] = overdue_milestones(1, now=now, unit=unit_a, owner=agent)
    Milestone.objects.filter(pk=resolution.pk).update(overdue_at=now - timedelta(minutes=1))  # level 2
    first_contact = clock_create(
        Complaint.objects.get(pk=resolution.case_id), kind="first_contact", owner=agent, unit=unit_a,
        started_at=now - timedelta(days=3),
        warn_at=now - timedelta(days=2), due_at=now - timedelta(days=2), overdue_at=now + timedelta(hours=1))
    assert sweep(now, django_capture_on_commit_callbacks).raised == {0: 2, 1: 2, 2: 1}

    notices = Notification.objects.all()
    assert sorted(n.recipient.username for n in notices) == ["agent", "handler_a", "manager"]
    [message] = set(notices.values_list("message", flat=True))
    assert "one working day overdue" in message  # level 2, of the resolution clock
    assert first_contact.get_kind_display() in message  # the other late clock is named, not lost
    assert Escalation.objects.filter(milestone=first_contact).count() == 2


def test_a_unit_lead_who_could_not_open_the_case_is_not_told(now, unit_a, handler_a, agent,
                                                             django_capture_on_commit_callbacks):
    unit_a.lead = UserFactory(username="lead_elsewhere", role="handler")  # leads the unit, not one of its handlers
    unit_a.save()
    overdue_milestones(1, now=now, unit=unit_a, owner=agent)
    sweep(now, django_capture_on_commit_callbacks)
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == ["agent", "handler_a"]


def test_an_administrator_follows_the_level_3_notice_to_the_case_read_only(
        now, unit_a, handler_a, agent, admin_user, admin_client_role, django_capture_on_commit_callbacks):
    [long_open] = overdue_milestones(1, now=now, kind="long_open", unit=unit_a, owner=agent)
    sweep(now, django_capture_on_commit_callbacks)
    notice = Notification.objects.get(recipient=admin_user)

    page = admin_client_role.get(f"/notifications/{notice.pk}/", follow=True)
    assert page.status_code == 200
    assert page.redirect_chain[-1][0] == f"/complaints/{long_open.case_number}/"
    html = page.content.decode()
    assert long_open.case_number in html
    # Read-only: no action, comment or upload form, and a post is refused.
    assert 'method="post" action="/complaints/' not in html
    assert "Nothing for you to do on this complaint now." in html
    assert admin_client_role.post(f"/complaints/{long_open.case_number}/comment/",
                                  {"text": "seen"}).status_code == 403
    assert admin_client_role.post(f"/complaints/{long_open.case_number}/force_close/",
                                  {"reason": "x", "version": 0}).status_code == 403
    assert not CaseEvent.objects.filter(case_id=long_open.case_id, kind="comment").exists()


@pytest.mark.parametrize("cases", [2, 12])
def test_the_desk_is_read_once_a_sweep_for_portal_cases(db, now, cases, django_capture_on_commit_callbacks,
                                                        django_assert_max_num_queries):
    """Cases filed on the portal (an owner nobody logs in as) are told to every agent: the agents and
    their roles are read once a sweep, not once a case (an outage can leave thousands)."""
    from sla.notifications import escalations_notify

    agents = [UserFactory(role="agent") for _ in range(6)]
    portal = UserFactory(role="agent")
    portal.set_unusable_password()
    portal.save()
    overdue_milestones(cases, now=now, owner=portal)
    with django_capture_on_commit_callbacks(execute=False):  # the sweep only: its notices are measured below
        assert sla_sweep(now=now).raised == {0: cases, 1: cases}  # past its warning and its deadline
    sweep_id = Escalation.objects.values_list("sweep_id", flat=True).first()
    with django_assert_max_num_queries(15):
        escalations_notify(sweep_id=sweep_id)
    assert Notification.objects.count() == cases * len(agents)
