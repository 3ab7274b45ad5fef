"""Deadline arithmetic (SPEC §5): the 16:30 cut-off, working-day and clock-hour targets.

- Day 0 of a working-day clock is the day the clock started, if that is a working day
  and the time is at or before the cut-off; otherwise the next working day.
- N working days fall at the cut-off time on the Nth working day after day 0.
- A clock-hour target runs on the wall clock, weekends and holidays included.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from .calendar import WorkingCalendar


def cutoff_time() -> time:
    return time.fromisoformat(settings.SLA_DAILY_CUTOFF)


def day_zero(started_at: datetime, calendar: WorkingCalendar) -> date:
    local = timezone.localtime(started_at)
    if calendar.is_working_day(local.date()) and local.time() <= cutoff_time():
        return local.date()
    return calendar.next_working_day(local.date())


def add_working_days(started_at: datetime, days: int, calendar: WorkingCalendar) -> datetime:
    day = day_zero(started_at, calendar)
    for _ in range(days):
        day = calendar.next_working_day(day)
    return timezone.make_aware(datetime.combine(day, cutoff_time()), timezone.get_current_timezone())


def add_clock_hours(started_at: datetime, hours: int) -> datetime:
    return started_at + timedelta(hours=hours)


def warning_time(started_at: datetime, due_at: datetime) -> datetime:
    """Warn when 80% of the allowed time has gone."""
    return started_at + (due_at - started_at) * settings.SLA_WARNING_FRACTION


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
