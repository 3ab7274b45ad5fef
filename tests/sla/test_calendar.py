"""Working days and deadlines (SPEC §5), on the dates a Chinese service desk trips over."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from sla.calendar import WorkingCalendar
from sla.deadlines import add_clock_hours, add_working_days, day_zero, warning_time
from sla.models import CalendarDay

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def due(received: str, days: int) -> datetime:
    return add_working_days(at(received), days, WorkingCalendar())


def test_spec_examples_of_the_cutoff():
    # Received Monday 10:00, 1 working day → Tuesday 16:30; Monday 16:31 → Wednesday 16:30.
    assert due("2026-11-23 10:00", 1) == at("2026-11-24 16:30")
    assert due("2026-11-23 16:31", 1) == at("2026-11-25 16:30")


def test_the_cutoff_to_the_second():
    assert day_zero(at("2026-11-23 16:30:00"), WorkingCalendar()).isoformat() == "2026-11-23"
    assert day_zero(at("2026-11-23 16:30:01"), WorkingCalendar()).isoformat() == "2026-11-24"
    assert due("2026-11-23 16:30:00", 1) == at("2026-11-24 16:30")
    assert due("2026-11-23 16:30:01", 1) == at("2026-11-25 16:30")
    assert due("2026-11-23 16:30:00", 0) == at("2026-11-23 16:30")


def test_received_the_evening_before_national_day():
    # Wed 30 Sep 17:00 is after the cut-off; 1–7 Oct are holidays, so day 0 is Thu 8 Oct,
    # and Sat 10 Oct is a make-up working day (调休).
    received = "2026-09-30 17:00"
    assert day_zero(at(received), WorkingCalendar()).isoformat() == "2026-10-08"
    assert due(received, 1) == at("2026-10-09 16:30")
    assert due(received, 2) == at("2026-10-10 16:30")
    assert due(received, 3) == at("2026-10-12 16:30")
    # The 24-hour contact runs on the wall clock through the holiday.
    assert add_clock_hours(at(received), 24) == at("2026-10-01 17:00")


def test_make_up_saturdays_are_working_days():
    calendar = WorkingCalendar()
    assert calendar.is_working_day(at("2026-02-14 00:00").date())
    assert calendar.is_working_day(at("2026-10-10 00:00").date())
    assert not calendar.is_working_day(at("2026-10-11 00:00").date())  # an ordinary Sunday
    # Received on the make-up Saturday before Spring Festival: that Saturday is day 0,
    # and the next working day is Tue 24 Feb, after the holiday of 15–23 Feb.
    assert due("2026-02-14 10:00", 0) == at("2026-02-14 16:30")
    assert due("2026-02-14 10:00", 1) == at("2026-02-24 16:30")
    # Received on an ordinary Saturday: day 0 is the next working day.
    assert due("2026-11-21 10:00", 1) == at("2026-11-24 16:30")


def test_a_deadline_running_into_a_year_without_official_data():
    # chinesecalendar 1.11.0 stops at 2026. Into 2027 the calendar falls back to Mon–Fri
    # (so Fri 1 Jan 2027 counts as a working day) and reports 2027 as missing; no crash.
    calendar = WorkingCalendar()
    assert calendar.is_year_missing(2027)
    assert not calendar.is_year_missing(2026)
    assert due("2026-12-21 10:00", 10) == at("2027-01-04 16:30")


def test_a_holiday_loaded_for_2027_moves_the_deadline():
    CalendarDay.objects.create(date=at("2027-01-01 00:00").date(), kind="holiday", name="元旦")
    calendar = WorkingCalendar()
    assert not calendar.is_year_missing(2027)
    assert due("2026-12-21 10:00", 10) == at("2027-01-05 16:30")


def test_an_admin_override_beats_the_package():
    CalendarDay.objects.create(date=at("2026-10-09 00:00").date(), kind="holiday", name="公司停工")
    assert due("2026-09-30 17:00", 1) == at("2026-10-10 16:30")


def test_warning_at_eighty_percent():
    start, end = at("2026-11-23 08:00"), at("2026-11-24 09:00")
    assert warning_time(start, end) == at("2026-11-24 04:00")


class TestLoadHolidays:
    def test_loads_a_year_from_csv(self, tmp_path):
        path = tmp_path / "2027.csv"
        path.write_text("date,kind,name\n2027-01-01,holiday,元旦\n2027-02-20,workday,春节调休\n", encoding="utf-8")
        call_command("load_holidays", str(path))
        assert CalendarDay.objects.get(date="2027-02-20").kind == "workday"
        assert not WorkingCalendar().is_year_missing(2027)

    def test_reads_gbk_from_excel_and_chinese_kinds(self, tmp_path):
        path = tmp_path / "2027.csv"
        path.write_bytes("date,kind,name\n2027-10-01,休,国庆节\n".encode("gbk"))
        call_command("load_holidays", str(path))
        assert CalendarDay.objects.get().name == "国庆节"

    def test_one_bad_row_loads_nothing(self, tmp_path):
        path = tmp_path / "bad.csv"
        path.write_text("date,kind,name\n2027-01-01,holiday,元旦\n2027-13-01,holiday,坏\n", encoding="utf-8")
        with pytest.raises(CommandError, match="line 3"):
            call_command("load_holidays", str(path))
        assert not CalendarDay.objects.exists()


def test_a_precomputed_calendar_answers_as_the_calendar_does(db):
    from datetime import date, timedelta

    from sla.calendar import PrecomputedCalendar

    CalendarDay.objects.create(date=date(2026, 10, 10), kind=CalendarDay.Kind.HOLIDAY, name="admin's word")
    plain, fast = WorkingCalendar(), PrecomputedCalendar(date(2026, 9, 20), date(2026, 10, 20))
    for offset in range(-5, 45):  # before, inside and after the precomputed range
        day = date(2026, 9, 20) + timedelta(days=offset)
        assert fast.is_working_day(day) == plain.is_working_day(day), day
        assert fast.next_working_day(day) == plain.next_working_day(day), day
        for count in (0, 1, 3, 10):
            assert fast.working_days_after(day, count) == plain.working_days_after(day, count), (day, count)
            later = day + timedelta(days=count)
            assert fast.working_days_between(day, later) == plain.working_days_between(day, later), (day, count)
    assert add_working_days(at("2026-09-30 17:00:00"), 3, fast) == add_working_days(
        at("2026-09-30 17:00:00"), 3, plain)
