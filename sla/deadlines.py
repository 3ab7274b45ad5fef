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
