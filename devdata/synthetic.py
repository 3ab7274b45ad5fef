"""Shared pieces of the synthetic data generators (`generate_cases`): the people and units
the cases are handled by, customers, and fast working-day arithmetic."""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from casework.bulk import TableSink, next_id
from casework.models import Customer, ResponsibleUnit
from sla.calendar import WorkingCalendar
from sla.deadlines import cutoff_time


def weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


class FastCalendar:
    """Working-day arithmetic by index over a precomputed range: O(1) per deadline."""

    def __init__(self, first: date, last: date):
        calendar = WorkingCalendar()
        self.days = [first + timedelta(d) for d in range((last - first).days + 1)]
        self.workdays = [d for d in self.days if calendar.is_working_day(d)]
        self.is_workday = set(self.workdays)
        self.cutoff = cutoff_time()
        self.tz = timezone.get_current_timezone()

    def add(self, start: datetime, n: int) -> datetime:
        local = start.astimezone(self.tz)
        day0 = local.date()
        index = bisect_left(self.workdays, day0)
        if not (day0 in self.is_workday and local.time() <= self.cutoff):
            index = bisect_left(self.workdays, day0 + timedelta(1))
        day = self.workdays[min(index + n, len(self.workdays) - 1)]
        return datetime.combine(day, self.cutoff, tzinfo=self.tz)


def synthetic_people(rng, unit_count: int):
    User = get_user_model()
    agents = []
    for i in range(20):
        user, _ = User.objects.get_or_create(username=f"synthetic_agent{i:02d}", defaults={"first_name": f"客服{i}"})
        user.groups.add(Group.objects.get_or_create(name="agent")[0])
        agents.append(user.pk)
    units = []
    for i in range(unit_count):
        provider = i % 3 == 2
        unit, _ = ResponsibleUnit.objects.get_or_create(
            code=f"S{i:03d}", defaults={"name": f"{'服务网点' if provider else '责任部门'}{i:03d}",
                                        "kind": "provider" if provider else "internal",
                                        "monthly_complaint_limit": rng.choice([0, 50, 200, 2000])})
        handler, _ = User.objects.get_or_create(username=f"synthetic_handler{i:03d}")
        handler.groups.add(Group.objects.get_or_create(name="handler")[0])
        unit.members.add(handler)
        units.append((unit.pk, unit.kind == "provider"))
    return agents, units




def synthetic_customers(rng, *, count: int, created_at) -> int:
    """`count` customers with consecutive ids; returns the first id."""
    first = next_id(Customer)
    sink = TableSink(Customer, ["id", "name", "organisation", "phone", "email", "tier", "created_at"])
    for i in range(count):
        sink.add(first + i, f"客户{first + i:07d}", "", f"13{rng.randrange(10**9):09d}", "",
                 rng.choices(["key", "ordinary", "potential"], [3, 90, 7])[0], created_at)
    sink.flush()
    return first
