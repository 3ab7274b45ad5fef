"""Issue 10: loading or changing the holiday calendar moves the open deadlines it changes.

Seed 001 7.1: "闭环时限按天计算(截止16:30),应于节假日期间(含周六、日)闭环的抱怨闭环时限顺延至节假日后第一个
工作日" — a loop due on a holiday is due on the first working day after it, so a holiday loaded
after a case was registered must move that case's deadline. The issue: every pending working-day
milestone whose window covers a changed day is recomputed and its case's timeline says so; "met and
breached ones are left alone", as are the 24-hour and three-month clocks.

chinesecalendar 1.11.0 (installed) knows 2004–2026 only: Fri 2027-01-01 is a working day until an
admin loads it as a holiday, so these tests really change a day (checked by the first assertion).
"""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import CaseEvent
from complaints import services
from sla.calendar import WorkingCalendar, package_years
from sla.calendar_changes import milestones_recompute_for_calendar
from sla.models import CalendarDay
from sla.sweep import sla_sweep

from .clocked import at, clocks, register

NEW_YEAR = date(2027, 1, 1)


def calendar_notes(complaint) -> list[str]:
    return [e.text for e in CaseEvent.objects.filter(case_id=complaint.pk, action="sla_calendar")]


def load_holidays(tmp_path, *options: str, rows: str = "2027-01-01,holiday,元旦\n") -> None:
    path = tmp_path / "2027.csv"
    path.write_text("date,kind,name\n" + rows, encoding="utf-8")
    call_command("load_holidays", str(path), *options)


def test_the_installed_calendar_does_not_know_2027_yet(db):
    assert 2027 not in package_years() and WorkingCalendar().is_working_day(NEW_YEAR)


def test_loading_new_year_moves_the_deadline_of_a_case_received_on_christmas_eve(agent, clock, tmp_path):
    complaint = register(agent, clock, "2026-12-24 10:00")
    before = clocks(complaint)
    assert before["resolution"].due_at == at("2027-01-07 16:30")  # 10 working days, Fri 1 Jan counted

    clock("2026-12-28 09:00")
    load_holidays(tmp_path)

    after = clocks(complaint)
    resolution = after["resolution"]
    assert resolution.due_at == at("2027-01-08 16:30")  # 1 January is not a working day after all
    assert resolution.overdue_at == at("2027-01-11 16:30")
    # 80% of the working time Thu 12-24 10:00 → Fri 01-08 16:30 (14 h + 9 × 24 h + 16.5 h = 246.5 h)
    # is 197.2 h: 14 h on 12-24, seven whole working days (12-25 … 01-05), 15.2 h into Wed 01-06.
    assert resolution.warn_at == at("2027-01-06 15:12")
    # The progress reply is due Thu 12-31, before the holiday: only its level-2 point moves.
    progress = after["progress_reply"]
    assert progress.due_at == before["progress_reply"].due_at == at("2026-12-31 16:30")
    assert (before["progress_reply"].overdue_at, progress.overdue_at) == (at("2027-01-01 16:30"),
                                                                          at("2027-01-04 16:30"))
    # The 24-hour contact (due Fri 12-25 10:00, overdue Mon 12-28 16:30) and the three-month clock
    # count no day of the change.
    for kind in ("first_contact", "long_open"):
        assert (after[kind].due_at, after[kind].warn_at, after[kind].overdue_at) == (
            before[kind].due_at, before[kind].warn_at, before[kind].overdue_at)
    # One timeline note, for the deadline that moved.
    assert calendar_notes(complaint) == [
        "Resolution: the deadline moved from 2027-01-07 16:30 to 2027-01-08 16:30 because the working-day "
        "calendar changed."]


def test_the_note_is_on_the_case_page(agent, agent_client, clock, tmp_path):
    complaint = register(agent, clock, "2026-12-24 10:00")
    clock("2026-12-28 09:00")
    load_holidays(tmp_path)
    clock(None)
    page = agent_client.get(f"/complaints/{complaint.number}/").content.decode()
    assert "the deadline moved from 2027-01-07 16:30 to 2027-01-08 16:30" in page


def test_met_breached_and_clock_hour_milestones_are_left_alone(agent, clock):
    """'Met and breached ones are left alone': a met clock entirely; a missed (breached) one keeps its
    deadline and warning, and only its level-2 point (one working day after the deadline, still to
    come) moves; so does a 24-hour clock's."""
    breached = register(agent, clock, "2026-12-24 10:00")
    met = register(agent, clock, "2026-12-24 10:00")
    clock("2026-12-28 11:00")
    met = services.complaint_contact(complaint=met, actor=agent, note="已联系")
    services.complaint_reply_progress(complaint=met, actor=agent, note="进展已告知")
    sla_sweep(now=at("2026-12-31 17:00"))  # the other's progress reply, due 12-31 16:30, is missed
    new_years_eve = register(agent, clock, "2026-12-31 10:00")  # 24 hours: due on New Year's Day 10:00
    untouched = {c.pk: {m.pk: (m.status, m.due_at, m.warn_at, m.overdue_at) for m in clocks(c).values()}
                 for c in (breached, met, new_years_eve)}
    # Both progress replies counted over 1 January (their level-2 point is Fri 01-01 16:30).
    assert clocks(met)["progress_reply"].status == "met"
    assert clocks(breached)["progress_reply"].status == "breached"
    assert clocks(new_years_eve)["first_contact"].due_at == at("2027-01-01 10:00")

    CalendarDay.objects.create(date=NEW_YEAR, kind="holiday", name="元旦")
    moved = milestones_recompute_for_calendar(days=[NEW_YEAR])

    # The resolution clocks of the three cases, the open and the missed progress replies and the
    # 24-hour contact below.
    assert moved == 6
    for case in (breached, met, new_years_eve):
        now = {m.pk: (m.status, m.due_at, m.warn_at, m.overdue_at) for m in clocks(case).values()}
        for kind, milestone in clocks(case).items():
            if (kind == "first_contact" and milestone.status == "pending") or milestone.status == "breached":
                assert now[milestone.pk][:3] == untouched[case.pk][milestone.pk][:3], (case.number, kind)
            elif kind == "long_open" or milestone.status == "met":
                assert now[milestone.pk] == untouched[case.pk][milestone.pk], (case.number, kind)
    contact = clocks(new_years_eve)["first_contact"]
    assert (contact.due_at, contact.overdue_at) == (at("2027-01-01 10:00"), at("2027-01-05 16:30"))
    assert clocks(breached)["progress_reply"].overdue_at == at("2027-01-04 16:30")  # missed: only level 2 moves
    assert clocks(met)["progress_reply"].overdue_at == at("2027-01-01 16:30")  # met: kept
    assert clocks(new_years_eve)["progress_reply"].due_at == at("2027-01-08 16:30")  # pending: moved


def test_running_twice_changes_nothing(agent, clock):
    complaint = register(agent, clock, "2026-12-24 10:00")
    CalendarDay.objects.create(date=NEW_YEAR, kind="holiday", name="元旦")
    assert milestones_recompute_for_calendar(days=[NEW_YEAR]) == 2  # resolution, progress reply's level 2
    once = {m.pk: (m.due_at, m.warn_at, m.overdue_at) for m in clocks(complaint).values()}
    assert milestones_recompute_for_calendar(days=[NEW_YEAR]) == 0
    assert {m.pk: (m.due_at, m.warn_at, m.overdue_at) for m in clocks(complaint).values()} == once
    assert len(calendar_notes(complaint)) == 1


def test_a_make_up_working_day_brings_the_deadline_forward(agent, clock):
    """The other direction: a Sunday made a working day (调休) counts, so the deadline comes earlier."""
    complaint = register(agent, clock, "2026-12-24 10:00")
    CalendarDay.objects.create(date=date(2027, 1, 3), kind="workday", name="调休")
    milestones_recompute_for_calendar(days=[date(2027, 1, 3)])
    assert clocks(complaint)["resolution"].due_at == at("2027-01-06 16:30")


def test_load_holidays_in_the_background_enqueues_the_task(agent, clock, tmp_path,
                                                           django_capture_on_commit_callbacks):
    complaint = register(agent, clock, "2026-12-24 10:00")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        load_holidays(tmp_path, "--background")
    assert clocks(complaint)["resolution"].due_at == at("2027-01-07 16:30")  # not yet: after commit
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: the task runs (eagerly in tests)
    assert clocks(complaint)["resolution"].due_at == at("2027-01-08 16:30")


def test_a_day_that_does_not_change_moves_nothing(agent, clock, tmp_path, django_capture_on_commit_callbacks):
    """Sat 2027-01-02 is not a working day either way: nothing to recompute, no task."""
    complaint = register(agent, clock, "2026-12-24 10:00")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        load_holidays(tmp_path, "--background", rows="2027-01-02,holiday,元旦\n")
    assert callbacks == []
    assert clocks(complaint)["resolution"].due_at == at("2027-01-07 16:30")


class TestAdmin:
    """An admin's edit enqueues the recompute after commit; the page does not wait for it."""

    def test_adding_a_holiday_enqueues_the_task_and_the_task_recomputes(
            self, agent, clock, admin_client_role, django_capture_on_commit_callbacks, monkeypatch):
        complaint = register(agent, clock, "2026-12-24 10:00")
        clock(None)
        from sla import tasks

        sent = []
        real_delay = tasks.calendar_recompute_task.delay
        monkeypatch.setattr(tasks.calendar_recompute_task, "delay", lambda *a: sent.append(a) or real_delay(*a))
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client_role.post("/admin/sla/calendarday/add/",
                                              {"date": "2027-01-01", "kind": "holiday", "name": "元旦"})
        assert response.status_code == 302
        assert sent == [(["2027-01-01"],)]
        assert clocks(complaint)["resolution"].due_at == at("2027-01-08 16:30")

    def test_changing_and_deleting_a_day(self, agent, clock, admin_client_role, django_capture_on_commit_callbacks):
        complaint = register(agent, clock, "2026-12-24 10:00")
        day = CalendarDay.objects.create(date=NEW_YEAR, kind="holiday", name="元旦")
        milestones_recompute_for_calendar(days=[NEW_YEAR])
        clock(None)
        with django_capture_on_commit_callbacks(execute=True):
            admin_client_role.post(f"/admin/sla/calendarday/{day.pk}/change/",
                                   {"date": "2027-01-01", "kind": "workday", "name": "元旦上班"})
        assert clocks(complaint)["resolution"].due_at == at("2027-01-07 16:30")
        with django_capture_on_commit_callbacks(execute=True):
            admin_client_role.post(f"/admin/sla/calendarday/{day.pk}/change/",
                                   {"date": "2027-01-04", "kind": "holiday", "name": "挪到周一"})
        assert clocks(complaint)["resolution"].due_at == at("2027-01-08 16:30")
        with django_capture_on_commit_callbacks(execute=True):
            admin_client_role.post(f"/admin/sla/calendarday/{day.pk}/delete/", {"post": "yes"})
        assert not CalendarDay.objects.exists()
        assert clocks(complaint)["resolution"].due_at == at("2027-01-07 16:30")
        assert len(calendar_notes(complaint)) == 4

    def test_an_import_recomputes_after_commit_and_a_preview_does_not(self, agent, clock,
                                                                       django_capture_on_commit_callbacks):
        import tablib

        from sla.admin import CalendarDayResource

        complaint = register(agent, clock, "2026-12-24 10:00")
        dataset = tablib.Dataset(["", "2027-01-01", "holiday", "元旦"], headers=["id", "date", "kind", "name"])
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            CalendarDayResource().import_data(dataset, dry_run=True)
        assert callbacks == [] and not CalendarDay.objects.exists()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            result = CalendarDayResource().import_data(dataset, dry_run=False)
        assert not result.has_errors() and len(callbacks) == 1
        assert clocks(complaint)["resolution"].due_at == at("2027-01-08 16:30")


@pytest.mark.clocks_corrupted
def test_one_unreadable_milestone_does_not_stop_the_others(agent, clock):
    from .test_bad_rows import corrupt_due_at

    first, bad, last = (register(agent, clock, "2026-12-24 10:00") for _ in range(3))
    corrupt_due_at(clocks(bad)["resolution"])
    CalendarDay.objects.create(date=NEW_YEAR, kind="holiday", name="元旦")
    milestones_recompute_for_calendar(days=[NEW_YEAR], chunk_size=2)
    assert clocks(first)["resolution"].due_at == clocks(last)["resolution"].due_at == at("2027-01-08 16:30")


def test_queries_are_bounded_by_chunks_not_by_milestones(agent, clock):
    """A million clocks: a fixed number of queries a chunk (read, update, timeline), never one a row."""

    def queries_to_recompute(count: int, *, day: date) -> int:
        for _ in range(count):
            register(agent, clock, "2026-12-24 10:00")
        CalendarDay.objects.update_or_create(date=day, defaults={"kind": "holiday"})
        with CaptureQueriesContext(connection) as queries:
            moved = milestones_recompute_for_calendar(days=[day], chunk_size=500)
        assert moved >= count
        return len(queries)

    few = queries_to_recompute(10, day=date(2027, 1, 4))
    many = queries_to_recompute(200, day=date(2027, 1, 5))
    # SQLite splits one bulk update into statements of 999 parameters; PostgreSQL sends one.
    assert many == few or (connection.vendor == "sqlite" and many <= few + 3)


def test_with_the_broker_away_the_admin_change_is_recomputed_at_once(agent, clock, admin_client_role, monkeypatch,
                                                                   django_capture_on_commit_callbacks):
    """No sweep would send a lost recompute again: the deadlines move in the request instead."""
    from sla import tasks

    complaint = register(agent, clock, "2026-12-24 10:00")
    clock(None)

    def broker_away(*args):
        raise ConnectionError("broker away")

    monkeypatch.setattr(tasks.calendar_recompute_task, "delay", broker_away)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client_role.post("/admin/sla/calendarday/add/", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"})
    assert clocks(complaint)["resolution"].due_at == at("2027-01-08 16:30")
