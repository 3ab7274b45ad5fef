"""What a person sees of the SLA: deadlines on lists and pages, the overdue queue,
the bell, the calendar warning, escalations in the timeline, and /healthz."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from casework.models import Notification
from sla.models import CalendarDay
from sla.next_deadline import cases_next_due_refresh_of
from sla.sweep import sla_sweep

from ..factories import ComplaintFactory, overdue_milestones


@pytest.fixture
def overdue_case(unit_a, agent):
    [milestone] = overdue_milestones(1, now=timezone.now(), unit=unit_a, owner=agent)
    return milestone


def test_queue_and_detail_show_the_deadline_and_how_overdue(agent_client, overdue_case):
    queue = agent_client.get("/complaints/").content.decode()
    assert "sla-overdue" in queue and "overdue by" in queue
    page = agent_client.get(f"/complaints/{overdue_case.case_number}/").content.decode()
    assert "Deadlines" in page and "sla-overdue" in page


def test_overdue_queue_is_the_managers(manager_client, agent_client, overdue_case, unit_a):
    fresh = ComplaintFactory(responsible_unit=unit_a, state="assigned", subject="未超期")
    queue = manager_client.get("/complaints/overdue/")
    numbers = {c.number for c in queue.context["page"].object_list}
    assert overdue_case.case_number in numbers and fresh.number not in numbers
    assert agent_client.get("/complaints/overdue/").status_code == 403


def test_escalations_appear_in_the_timeline(agent_client, overdue_case):
    sla_sweep(now=timezone.now())
    page = agent_client.get(f"/complaints/{overdue_case.case_number}/").content.decode()
    assert "Level 1: deadline missed" in page


def test_the_bell_counts_and_opens_notifications(agent_client, agent, overdue_case,
                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sla_sweep(now=timezone.now())
    unread = Notification.objects.filter(recipient=agent, read_at__isnull=True)
    assert unread.count() == 1  # level 1 goes to the owner; the level-0 warning to the unit's handlers
    page = agent_client.get("/complaints/").content.decode()
    assert 'class="bell-count"' in page
    note = unread.get()
    response = agent_client.post(f"/notifications/{note.pk}/")
    assert response.status_code == 302 and response.url == f"/complaints/{overdue_case.case_number}/"
    assert not Notification.objects.filter(recipient=agent, read_at__isnull=True).exists()
    assert 'class="bell-count"' not in agent_client.get("/complaints/").content.decode()


def test_someone_elses_notification_is_404(handler_a_client, agent, overdue_case,
                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sla_sweep(now=timezone.now())
    note = Notification.objects.filter(recipient=agent).first()
    assert handler_a_client.get(f"/notifications/{note.pk}/").status_code == 404
    assert handler_a_client.post(f"/notifications/{note.pk}/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_calendar_warning_until_the_year_is_loaded(agent_client, admin_client_role, settings):
    today = timezone.localdate()
    next_year = today.year + 1
    if today.month < 11 and today.year <= 2026:
        pytest.skip("the package covers this year and next year is not yet needed")
    assert "holiday calendar" in agent_client.get("/complaints/").content.decode()
    assert "holiday calendar" in admin_client_role.get("/admin/").content.decode()
    CalendarDay.objects.create(date=f"{next_year}-01-01", kind="holiday", name="元旦")
    if today.year <= 2026:
        assert "holiday calendar" not in agent_client.get("/complaints/").content.decode()


def test_a_calendar_loaded_by_another_process_reaches_the_banner_within_a_minute(db, monkeypatch):
    """Each process keeps the banner's answer for a minute instead of asking the shared cache on
    every page; a calendar loaded elsewhere (rows written, shared entry dropped) shows after it."""
    from django.core.cache import cache

    from sla import selectors

    clock = [1000.0]
    monkeypatch.setattr(selectors.time, "monotonic", lambda: clock[0])
    today = date(2030, 11, 2)  # from November next year's calendar is needed too
    assert selectors.calendar_missing_years(today=today) == [2030, 2031]
    CalendarDay.objects.bulk_create([CalendarDay(date=date(2030, 10, 1), kind="holiday", name="国庆节"),
                                     CalendarDay(date=date(2031, 1, 1), kind="holiday", name="元旦")])
    cache.clear()
    clock[0] += 59
    assert selectors.calendar_missing_years(today=today) == [2030, 2031]
    clock[0] += 2
    assert selectors.calendar_missing_years(today=today) == []


def test_healthz_reports_database_and_broker(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_says_503_when_the_broker_is_away(db, client, monkeypatch):
    from config import health

    monkeypatch.setattr(health, "_broker", lambda: "error")
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["broker"] == "error"


def test_healthz_names_no_exception_to_anyone_who_asks(db, client, database_down, caplog):
    """What failed goes to the log, not to an anonymous caller (issue 8)."""
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert "OperationalError" not in response.content.decode() and "127.0.0.1" not in response.content.decode()
    assert "database unreachable" in caplog.text


def test_deadline_badge_turns_amber_from_the_warning(agent_client, unit_a, agent):
    [milestone] = overdue_milestones(1, now=timezone.now(), unit=unit_a, owner=agent)
    milestone.due_at = timezone.now() + timedelta(hours=2)
    milestone.save()
    cases_next_due_refresh_of([milestone])
    assert "sla-soon" in agent_client.get("/complaints/").content.decode()
