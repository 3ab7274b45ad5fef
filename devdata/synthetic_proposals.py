"""Realistic synthetic proposals for scale tests (`generate_cases --proposals M`): every state
in plausible proportions, the feedback clock met, breached, extended or pending, cost
reductions for implemented ones, and the timeline, written with COPY in flat-memory chunks."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from casework.bulk import TableSink, next_id, reset_sequences
from casework.models import CASE_EVENT_COLUMNS, CaseEvent, CaseNumberSequence, Customer, ResponsibleUnit
from proposals.choices import Priority, State, sla_priority_for
from proposals.models import Proposal
from sla.models import MILESTONE_COLUMNS, Milestone
from sla.next_deadline import cases_next_due_rebuild

from .synthetic import Clocks, synthetic_customers, synthetic_people, transition_targets, weighted

CATEGORIES = [("product_standard", 15), ("logistics_sales", 15), ("process_efficiency", 25),
              ("new_materials", 10), ("after_sales", 30), ("other", 5)]
CHANNELS = [("written", 25), ("hotline", 30), ("email", 10), ("web_form", 10), ("wechat", 15), ("on_site", 5),
            ("survey", 5)]
# How a finished proposal ended.
ENDINGS = [("adopted", 35), ("not_adopted", 55), ("archived", 10)]
CONTENT = "客户来信提出改进建议。"
SUBJECTS = ["建议合并重复的质检工序", "建议增加周末售后接待", "建议统一备件包装规格", "建议物流改为区域集中配送",
            "建议采用新型密封材料", "建议开放维修进度在线查询", "建议简化合同签订流程"]
STEPS = ["acknowledge", "route", "evaluate", "feedback", "implement", "close"]
EVENT_KINDS = {"acknowledge": "contact", "route": "assignment", "feedback": "contact"}
AFTER = {  # hours from the previous step: (low, high)
    "acknowledge": (1, 30), "route": (4, 48), "evaluate": (24, 260), "feedback": (2, 48),
    "implement": (120, 1400), "close": (24, 120),
}


@dataclass
class ProposalCounts:
    proposals: int = 0
    milestones: int = 0
    events: int = 0
    by_state: dict = field(default_factory=dict)


def generate_proposals(*, proposals: int, months: int, seed: int, log=print, people=None,
                       content=CONTENT, customers: int | None = None) -> ProposalCounts:
    """`people` as for synthetic_complaints.generate: the agents and units to hand them to."""
    rng = random.Random(seed * 7919 + 4)
    now = timezone.now()
    start = now - timedelta(days=30.44 * months)
    counts = ProposalCounts()
    agents, units = people or synthetic_people(rng, unit_count=40)
    case_type = ContentType.objects.get_for_model(Proposal).pk
    handlers: dict[int, list[int]] = {}
    for unit_id, user_id in ResponsibleUnit.members.through.objects.values_list("responsibleunit_id", "user_id"):
        handlers.setdefault(unit_id, []).append(user_id)
    with transaction.atomic():
        customer_count = customers or max(10, proposals // 4)
        first_customer = synthetic_customers(rng, count=customer_count, created_at=start)
        clocks = Clocks(timezone.localtime(start).date() - timedelta(7),
                        timezone.localtime(now).date() + timedelta(60))
        tz = timezone.get_current_timezone()
        received = sorted(start + timedelta(seconds=rng.random() * (now - start).total_seconds() * 0.999)
                          for _ in range(proposals))
        sequences = {(s.prefix, s.period): s.last_value for s in CaseNumberSequence.objects.filter(prefix="TA")}
        sinks = Sinks()
        first_id = next_id(Proposal)
        for offset, received_at in enumerate(received):
            period = received_at.astimezone(tz).strftime("%Y%m")
            seq = sequences[("TA", period)] = sequences.get(("TA", period), 0) + 1
            state = _one(rng, first_id + offset, f"TA{period}-{seq:06d}", received_at, now, clocks, agents, units,
                         handlers, first_customer + rng.randrange(customer_count), case_type, sinks, content)
            counts.by_state[state] = counts.by_state.get(state, 0) + 1
            if offset % 100_000 == 99_999:
                log(f"proposals: {offset + 1}")
        sinks.flush()
        # The rows went straight to the tables: the queue's deadline column is set from the clocks.
        cases_next_due_rebuild(cases=Proposal.objects.filter(pk__gte=first_id),
                               clocks=Milestone.objects.filter(case_type_id=case_type, case_id__gte=first_id))
        for (prefix, period), last in sequences.items():
            CaseNumberSequence.objects.update_or_create(prefix=prefix, period=period, defaults={"last_value": last})
        reset_sequences(Customer, Proposal, Milestone, CaseEvent)
    counts.proposals, counts.milestones, counts.events = (sinks.proposals.written, sinks.milestones.written,
                                                          sinks.events.written)
    if connection.vendor == "postgresql" and connection.get_autocommit():
        # Fresh statistics (with the old ones the planner thought no proposal clocks existed) and a
        # visibility map for index-only scans, as after generating complaints.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return counts


class Sinks:
    def __init__(self):
        self.proposals = TableSink(Proposal, [
            "id", "number", "customer_id", "channel", "received_at", "category", "subject", "content",
            "expected_benefit", "priority", "first_responder_id", "suggested_unit_id", "responsible_unit_id",
            "extended", "decision", "opinion", "planned_implementation_on", "measures", "research_schedule",
            "handling_satisfaction", "implementation_report", "cost_reduction", "closure_reason", "escalation_level",
            "state", "version", "created_at", "acknowledged_at", "routed_at", "evaluated_at", "feedback_at",
            "implemented_at", "closed_at"])
        self.milestones = TableSink(Milestone, MILESTONE_COLUMNS)
        self.events = TableSink(CaseEvent, CASE_EVENT_COLUMNS)

    def flush(self):
        for sink in (self.proposals, self.milestones, self.events):
            sink.flush()


def _one(rng, pk, number, received, now, clocks, agents, units, handlers, customer, ct, sinks, content=None) -> str:
    agent = rng.choice(agents)
    urgent = rng.random() < 0.1
    extended = not urgent and rng.random() < 0.06
    age_days = (now - received).total_seconds() / 86400
    finished = rng.random() < (0.95 if age_days > 90 else 0.6 if age_days > 20 else 0.15)
    ending = weighted(rng, ENDINGS) if finished else weighted(rng, ENDINGS[:2])
    times, t = {}, received
    for step in STEPS:
        t = t + timedelta(hours=rng.uniform(*AFTER[step]) * (0.4 if urgent else 1))
        times[step] = t
    path = ["acknowledge", "archive"] if ending == "archived" else (
        STEPS if ending == "adopted" else STEPS[:4])
    if ending == "archived":
        times["archive"] = times["route"]
    if not finished:
        path = path[:rng.randrange(0, len(path))]
    path = [s for s in path if times[s] < now]

    decided = "evaluate" in path
    adopted = decided and ending == "adopted"
    # The states it passed through, as Proposal's transitions lead (feedback: adopted, or closed if not).
    targets = transition_targets(Proposal)
    states = [Proposal._meta.get_field("state").default]
    for step in path:
        states.append(State.CLOSED if step == "feedback" and not adopted else targets[step])
    state = states[-1]
    unit_id = rng.choice(units)[0] if "route" in path else None
    closed_at = times["close"] if "close" in path else times["feedback"] if state == State.CLOSED else (
        times["archive"] if state == State.ARCHIVED else None)
    saving = Decimal(str(round(rng.lognormvariate(10, 1.2), 2))) if "implement" in path else None
    satisfaction = rng.choices(["very_satisfied", "satisfied", "neutral", "dissatisfied"], [30, 45, 17, 8])[0] \
        if "feedback" in path else ""
    at = {s: (times[s] if s in path else None) for s in STEPS}
    priority = Priority.URGENT if urgent else Priority.NORMAL
    policy_id, due, warn, overdue = clocks.deadlines(
        case_kind="proposal", milestone="proposal_feedback", started_at=received,
        priority=sla_priority_for(priority=priority, extended=extended))
    met = at["feedback"]
    end = met or closed_at or now
    level = max([lv for lv, moment in ((0, warn), (1, due), (2, overdue)) if moment <= end], default=-1)
    status = ("met" if met <= due else "breached") if met else "cancelled" if closed_at else (
        "breached" if due <= now else "pending")
    sinks.proposals.add(
        pk, number, customer, weighted(rng, CHANNELS), received, weighted(rng, CATEGORIES), rng.choice(SUBJECTS),
        content or CONTENT, "", priority, agent, unit_id, unit_id, extended,
        ("adopted" if adopted else "not_adopted") if decided else "", "已研究" if decided else "",
        timezone.localtime(at["evaluate"]).date() + timedelta(30) if adopted else None,
        "按计划实施" if adopted else "", "", satisfaction, "已实施" if saving is not None else "", saving,
        "重复提案" if state == State.ARCHIVED else "", max(level, 0), state, len(path) + 1, received,
        at["acknowledge"], at["route"], at["evaluate"], at["feedback"], at["implement"], closed_at)

    sinks.milestones.add(ct, pk, number, "proposal_feedback", 0, policy_id, received, due, warn, overdue, met, status,
                         level, agent, unit_id)

    sinks.events.add(ct, pk, "created", "register", agent, "", states[0], "", received)
    handler = rng.choice(handlers.get(unit_id, [agent]))
    for step, (previous, target) in zip(path, zip(states, states[1:], strict=False), strict=True):
        actor = handler if step in ("evaluate", "implement") else agent
        sinks.events.add(ct, pk, EVENT_KINDS.get(step, "transition"), step, actor, previous, target, "", times[step])
    if extended and path:
        sinks.events.add(ct, pk, "comment", "extend", agent, "", "", "较复杂，延期至15个工作日",
                         received + timedelta(hours=30))
    return state
