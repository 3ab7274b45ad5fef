"""Deadline arithmetic (SPEC §5): the 16:30 cut-off, working-day and clock-hour targets.

- Day 0 of a working-day clock is the day the clock started, if that is a working day
  and the time is at or before the cut-off; otherwise the next working day.
- N working days fall at the cut-off time on the Nth working day after day 0.
- A clock-hour target runs on the wall clock, weekends and holidays included.
- The warning comes at 80% of the allowed time: wall-clock time for clock hours, working time
  (the hours of working days only) for working days.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from .calendar import WorkingCalendar


def cutoff_time() -> time:
    return time.fromisoformat(settings.SLA_DAILY_CUTOFF)


def day_zero(started_at: datetime, calendar: WorkingCalendar, *, cutoff: time | None = None, tz=None) -> date:
    local = timezone.localtime(started_at, tz)
    if calendar.is_working_day(local.date()) and local.time() <= (cutoff or cutoff_time()):
        return local.date()
    return calendar.next_working_day(local.date())


def add_working_days(started_at: datetime, days: int, calendar: WorkingCalendar) -> datetime:
    # Hot in bulk work (intake of an import, the generators): the zone and cut-off are read once.
    tz, cutoff = timezone.get_current_timezone(), cutoff_time()
    day = calendar.working_days_after(day_zero(started_at, calendar, cutoff=cutoff, tz=tz), days)
    return datetime.combine(day, cutoff, tzinfo=tz)  # what make_aware does with a zoneinfo zone


def add_clock_hours(started_at: datetime, hours: int) -> datetime:
    return started_at + timedelta(hours=hours)


def warning_time(started_at: datetime, due_at: datetime) -> datetime:
    """A clock-hour clock warns when 80% of the allowed wall-clock time has gone."""
    return started_at + (due_at - started_at) * settings.SLA_WARNING_FRACTION


ONE_DAY, ZERO = timedelta(days=1), timedelta()


def working_warning_time(started_at: datetime, due_at: datetime, calendar: WorkingCalendar) -> datetime:
    """A working-day clock warns when 80% of its working time has gone, so the warning falls on a
    working day, never in a holiday's night.

    Working time is every hour of a working day (00:00–24:00) from the moment the clock counts to
    the due moment; non-working days count nothing. The clock counts from `started_at` if that is
    in day 0 (a working day, at or before the cut-off), else from 00:00 of day 0. With no
    non-working day in between, this is the wall-clock 80%."""
    # Hot in bulk work like add_working_days: zone and cut-off read once, and the calendar's own
    # lookups (a bisect on a PrecomputedCalendar) count and find the working days.
    tz, cutoff = timezone.get_current_timezone(), cutoff_time()
    start, due = timezone.localtime(started_at, tz), timezone.localtime(due_at, tz)
    first = day_zero(started_at, calendar, cutoff=cutoff, tz=tz)
    begin = start if start.date() == first else datetime.combine(first, time.min, tzinfo=tz)
    if due <= begin:
        return warning_time(started_at, due_at)
    if due.date() == first:
        return begin + (due - begin) * settings.SLA_WARNING_FRACTION
    # Day 0 from `begin` to midnight, the whole working days in between, the due day up to `due`.
    first_part = datetime.combine(first, time.min, tzinfo=tz) + ONE_DAY - begin
    whole_days = calendar.working_days_between(first, due.date())
    due_day = datetime.combine(due.date(), time.min, tzinfo=tz)
    total = first_part + whole_days * ONE_DAY + (due - due_day if calendar.is_working_day(due.date()) else ZERO)
    elapsed = total * settings.SLA_WARNING_FRACTION
    if elapsed < first_part:
        return begin + elapsed
    days_after, into_day = divmod(elapsed - first_part, ONE_DAY)
    return datetime.combine(calendar.working_days_after(first, days_after + 1), time.min, tzinfo=tz) + into_day


def add_calendar_months(moment: datetime, months: int) -> datetime:
    """The same local time N months later, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    local = timezone.localtime(moment)
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    day = local.day
    while True:
        try:
            return local.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 1
