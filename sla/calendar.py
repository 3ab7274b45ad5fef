"""The working-day calendar of SPEC §5.

A day's status comes from, in order: the admin's CalendarDay table, the
chinesecalendar package (statutory holidays and 调休 make-up working days, for the
years it ships), and finally plain Monday–Friday. A year that falls through to
Monday–Friday is reported as missing, so pages can warn that the official calendar
for it has not been loaded. Nothing here raises for an unknown year.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, timedelta
from functools import cache

import chinese_calendar


@cache
def package_years() -> frozenset[int]:
    """The years chinesecalendar has official data for."""
    return frozenset(d.year for d in (*chinese_calendar.holidays, *chinese_calendar.workdays))


class WorkingCalendar:
    """One computation's view of the calendar; reads the admin table once per year it touches."""

    def __init__(self) -> None:
        self._overrides: dict[int, dict[date, bool]] = {}

    def _year_overrides(self, year: int) -> dict[date, bool]:
        if year not in self._overrides:
            from .models import CalendarDay

            self._overrides[year] = {
                row.date: row.kind == CalendarDay.Kind.WORKDAY
                for row in CalendarDay.objects.filter(date__year=year).only("date", "kind")
            }
        return self._overrides[year]

    def is_working_day(self, day: date) -> bool:
        overrides = self._year_overrides(day.year)
        if day in overrides:
            return overrides[day]
        if day.year in package_years():
            # The package's own is_workday re-validates its whole table on every call;
            # its two dicts answer the same question directly.
            if day in chinese_calendar.holidays:
                return False
            if day in chinese_calendar.workdays:
                return True
        return day.weekday() < 5

    def is_year_missing(self, year: int) -> bool:
        """No official data: not shipped by the package and nothing loaded by an admin."""
        return year not in package_years() and not self._year_overrides(year)

    def next_working_day(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def working_days_after(self, day: date, count: int) -> date:
        """The `count`th working day after `day` (`day` itself for 0)."""
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, first: date, last: date) -> int:
        """How many working days lie strictly after `first` and strictly before `last`."""
        count, day = 0, self.next_working_day(first)
        while day < last:
            count, day = count + 1, self.next_working_day(day)
        return count

    def missing_years(self, first: int, last: int) -> list[int]:
        return [y for y in range(first, last + 1) if self.is_year_missing(y)]


class PrecomputedCalendar(WorkingCalendar):
    """The same calendar, read once for a range of dates: each day's answer is a lookup. For bulk
    work that computes deadlines for many cases (the synthetic-data generators); outside the range
    it answers as WorkingCalendar does."""

    def __init__(self, first: date, last: date):
        super().__init__()
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        self._first, self._last = first, last
        self._working = {day: super(PrecomputedCalendar, self).is_working_day(day) for day in days}
        self._workdays = [day for day in days if self._working[day]]

    def is_working_day(self, day: date) -> bool:
        working = self._working.get(day)
        return super().is_working_day(day) if working is None else working

    def next_working_day(self, day: date) -> date:
        index = bisect_right(self._workdays, day)
        if self._first <= day and index < len(self._workdays):
            return self._workdays[index]
        return super().next_working_day(day)

    def working_days_after(self, day: date, count: int) -> date:
        index = bisect_right(self._workdays, day) + count - 1
        if count > 0 and self._first <= day and index < len(self._workdays):
            return self._workdays[index]
        return super().working_days_after(day, count)

    def working_days_between(self, first: date, last: date) -> int:
        if self._first <= first and last <= self._last:
            return max(0, bisect_left(self._workdays, last) - bisect_right(self._workdays, first))
        return super().working_days_between(first, last)
