"""Report periods in Asia/Shanghai: a month or a quarter as [start, end) aware datetimes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
# Years a report may be asked for: the period's end (the next year's start) must stay a real date.
FIRST_YEAR, LAST_YEAR = 2000, 2999


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """'2026-11' → Month; ValueError for anything else (the pages and the command show it)."""
        match = MONTH_PATTERN.match((text or "").strip())
        if not match or not 1 <= int(match.group(2)) <= 12 or not FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR:
            raise ValueError(f"expected a month as YYYY-MM, got {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def current(cls) -> Month:
        return cls.of(timezone.localdate())

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def shift(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.month, 1, tzinfo=timezone.get_current_timezone())

    @property
    def end(self) -> datetime:
        """The first instant of the next month."""
        return self.shift(1).start


@dataclass(frozen=True)
class Quarter:
    year: int
    quarter: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = re.match(r"^(\d{4})-?Q([1-4])$", (text or "").strip(), re.IGNORECASE)
        if not match or not FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR:
            raise ValueError(f"expected a quarter as YYYY-Qn, got {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    @property
    def first_month(self) -> Month:
        return Month(self.year, (self.quarter - 1) * 3 + 1)

    @property
    def start(self) -> datetime:
        return self.first_month.start

    @property
    def end(self) -> datetime:
        return self.first_month.shift(3).start


@dataclass(frozen=True)
class HalfYear:
    """The proposal programme's period (SPEC §4): targets and collection plans per half-year."""

    year: int
    half: int

    @classmethod
    def parse(cls, text: str) -> HalfYear:
        match = re.match(r"^(\d{4})-?H([12])$", (text or "").strip(), re.IGNORECASE)
        if not match or not FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR:
            raise ValueError(f"expected a half-year as YYYY-Hn, got {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> HalfYear:
        return cls(day.year, 1 if day.month <= 6 else 2)

    def __str__(self) -> str:
        return f"{self.year}-H{self.half}"

    @property
    def start(self) -> datetime:
        return Month(self.year, 1 if self.half == 1 else 7).start

    @property
    def end(self) -> datetime:
        return Month(self.year, 1 if self.half == 1 else 7).shift(6).start
