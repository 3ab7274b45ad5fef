"""Shared pieces of the synthetic data generators (`generate_cases`): the people and units
the cases are handled by, customers, the SLA clocks (the real policy and deadline functions on
a calendar read once) and the lifecycle as the models' transitions write it."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from casework.bulk import TableSink, next_id
from casework.models import Customer, ResponsibleUnit
from sla.calendar import PrecomputedCalendar
from sla.models import SlaPolicy
from sla.services import deadline_compute, policy_pick


def weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


class Clocks:
    """A case's SLA deadlines as intake computes them (sla.services.policy_pick and deadline_compute),
    with the policies read once and a calendar precomputed for the generated range."""

    def __init__(self, first: date, last: date):
        self.calendar = PrecomputedCalendar(first, last)
        self.policies = list(SlaPolicy.objects.all())
        self._picked: dict[tuple, SlaPolicy | None] = {}

    def deadlines(self, *, case_kind: str, milestone: str, priority: str, started_at: datetime, unit_kind: str = ""):
        """(policy id, due, warning, one working day overdue), or None when no policy applies."""
        key = (case_kind, milestone, priority, unit_kind)
        if key not in self._picked:
            self._picked[key] = policy_pick([p for p in self.policies if p.case_kind == case_kind],
                                            milestone=milestone, priority=priority, unit_kind=unit_kind)
        policy = self._picked[key]
        if policy is None:
            return None
        return (policy.pk, *deadline_compute(policy=policy, started_at=started_at, calendar=self.calendar))


@cache
def transition_targets(model) -> dict[str, str]:
    """action → the state the model's @transition leads to. Where it may lead to several, the first
    listed (the ordinary outcome: approve → approved); where the state stays, the source."""
    targets = {}
    for transition in model._meta.get_field("state").get_all_transitions(model):
        target = getattr(transition.target, "allowed_states", [transition.target])[0]
        targets[transition.name] = target if target is not None else transition.source
    return targets


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
