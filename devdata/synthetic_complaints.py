"""Realistic synthetic complaints for scale tests (`generate_cases`): units, customers, every
state and closure type in plausible proportions, SLA milestones met and breached, callbacks
and timeline events, spread over K months and written with COPY in flat-memory chunks."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from casework.bulk import TableSink, next_id, reset_sequences
from casework.models import CASE_EVENT_COLUMNS, CaseEvent, CaseNumberSequence, Customer
from complaints.choices import MAJOR_SEVERITIES, TWO_CALLBACK_CATEGORIES, State, severity_for_loss
from complaints.models import UNREACHABLE_ATTEMPTS_TO_CLOSE, Complaint
from satisfaction.models import Callback
from sla.deadlines import add_calendar_months
from sla.models import MILESTONE_COLUMNS, Milestone
from sla.next_deadline import cases_next_due_rebuild
from sla.services import LONG_OPEN_MONTHS

from .synthetic import Clocks, synthetic_customers, synthetic_people, transition_targets, weighted

CATEGORIES = [("product_quality", 25), ("technical", 12), ("service_process", 18), ("service_attitude", 15),
              ("contract", 5), ("parts_supply", 10), ("price", 8), ("safety", 2), ("other", 5)]
CHANNELS = [("hotline", 45), ("phone", 15), ("web_form", 8), ("email", 6), ("wechat", 15), ("online_forum", 5),
            ("on_site", 3), ("letter", 1), ("regulator", 2)]
PRIORITIES = [("normal", 75), ("high", 15), ("urgent", 4), ("low", 6)]
CLOSURES = [("satisfied", 85), ("forced", 4), ("invalid", 5), ("unreachable", 6)]
SUBJECTS = ["车辆异响多次维修未解决", "备件到货延误", "维修等待时间过长", "服务人员态度恶劣", "收费不透明",
            "合同条款与宣传不符", "保养后出现漏油", "投诉热线无人接听", "承诺的优惠未兑现", "安全隐患未及时处理"]
DESCRIPTION = "客户来电反映问题，要求尽快处理。"
# The generator's steps (keys of its timings) and the lifecycle action each one is.
ACTIONS = {"contact": "contact", "dispatch": "dispatch", "propose": "propose", "approve": "approve",
           "agree": "customer_agrees", "implement": "implement", "callback": "record_callback"}


@cache
def open_path() -> list[str]:
    """The states an ordinary complaint passes through until resolved, read from Complaint's transitions."""
    path = [Complaint._meta.get_field("state").default]
    targets = transition_targets(Complaint)
    for step in ["contact", "dispatch", "propose", "approve", "agree", "implement"]:
        path.append(targets[ACTIONS[step]])
    return path


@dataclass
class Counts:
    complaints: int = 0
    milestones: int = 0
    events: int = 0
    callbacks: int = 0
    customers: int = 0
    by_state: dict = field(default_factory=dict)


def generate(*, complaints: int, months: int, seed: int, log=print, people=None, description=DESCRIPTION,
             customers: int | None = None) -> Counts:
    """`people`: (agent ids, [(unit id, is a provider)]) to hand the cases to (seed_demo's demo
    users and units); by default 20 synthetic agents and 40 synthetic units."""
    rng = random.Random(seed)
    now = timezone.now()
    start = now - timedelta(days=30.44 * months)
    counts = Counts()
    agents, units = people or synthetic_people(rng, unit_count=40)
    complaint_type = ContentType.objects.get_for_model(Complaint)

    with transaction.atomic():
        customer_count = customers or max(10, complaints // 10)
        first_customer = synthetic_customers(rng, count=customer_count, created_at=start)
        counts.customers = customer_count
        log(f"customers: {customer_count}")

        clocks = Clocks(timezone.localtime(start).date() - timedelta(7),
                        timezone.localtime(now).date() + timedelta(200))
        tz = timezone.get_current_timezone()
        received = sorted(start + timedelta(seconds=rng.random() * (now - start).total_seconds() * 0.999)
                          for _ in range(complaints))
        # A few in the current month whatever day it is, so this month's figures are never empty.
        month_start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        for i in range(min(5, complaints)):
            received[-1 - i] = max(received[-1 - i], month_start + (now - month_start) * rng.uniform(0.1, 0.99))
        received.sort()
        sequences = dict(((s.prefix, s.period), s.last_value) for s in CaseNumberSequence.objects.all())

        complaint_sink = TableSink(Complaint, [
            "id", "number", "kind", "customer_id", "channel", "received_at", "category", "subject", "description",
            "customer_demand", "target", "priority", "complainant_class", "estimated_loss", "severity", "is_major",
            "responsible_unit_id", "counted_unit_id", "unit_round", "first_responder_id", "validity",
            "invalid_proposed", "root_cause", "solution",
            "resolution_type", "resolution_amount", "implementation_report", "closure_type", "closure_reason",
            "repeat_of_id", "escalation_level", "reopen_count", "state", "version", "created_at",
            "first_contacted_at", "dispatched_at", "resolved_at", "closed_at"])
        milestone_sink = TableSink(Milestone, MILESTONE_COLUMNS)
        event_sink = TableSink(CaseEvent, CASE_EVENT_COLUMNS)
        callback_sink = TableSink(Callback, ["complaint_id", "round", "outcome", "false_reply", "note",
                                             "called_by_id", "called_at"])
        first_id = next_id(Complaint)
        for offset, received_at in enumerate(received):
            pk = first_id + offset
            period = received_at.astimezone(tz).strftime("%Y%m")
            seq = sequences.get(("TS", period), 0) + 1
            sequences[("TS", period)] = seq
            number = f"TS{period}-{seq:06d}"
            _one(rng, pk, number, received_at, now, clocks, agents, units, first_customer, customer_count,
                 complaint_type.pk, complaint_sink, milestone_sink, event_sink, callback_sink, counts, description)
            if offset % 100_000 == 99_999:
                log(f"complaints: {offset + 1}")
        for sink in (complaint_sink, milestone_sink, event_sink, callback_sink):
            sink.flush()
        # The rows went straight to the tables: the queue's deadline column is set from the clocks.
        cases_next_due_rebuild(cases=Complaint.objects.filter(pk__gte=first_id),
                               clocks=Milestone.objects.filter(case_type_id=complaint_type.pk, case_id__gte=first_id))
        for (prefix, period), last in sequences.items():
            CaseNumberSequence.objects.update_or_create(prefix=prefix, period=period,
                                                        defaults={"last_value": last})
        reset_sequences(Customer, Complaint, Milestone, CaseEvent, Callback)
    counts.complaints = complaint_sink.written
    counts.milestones, counts.events = milestone_sink.written, event_sink.written
    counts.callbacks = callback_sink.written
    if connection.vendor == "postgresql" and connection.get_autocommit():
        # Fresh statistics, and a visibility map so index-only scans need not visit the heap.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return counts


def _one(rng, pk, number, received, now, clocks, agents, units, first_customer, customer_count, ct,
         complaints, milestones, events, callbacks, counts, description=DESCRIPTION):
    kind = "repair_request" if rng.random() < 0.08 else "complaint"
    category = weighted(rng, CATEGORIES)
    priority = weighted(rng, PRIORITIES)
    agent = rng.choice(agents)
    age_days = (now - received).total_seconds() / 86400
    closed_p = 0.97 if age_days > 30 else 0.75 if age_days > 5 else 0.25
    closure = weighted(rng, CLOSURES) if rng.random() < closed_p else ""
    # How far along the lifecycle it got (open cases stop somewhere on the way).
    path = open_path()
    reach = len(path) if closure in ("satisfied", "unreachable") else (
        rng.randrange(1, 4) if closure == "forced" else 1 if closure == "invalid"
        else min(len(path) - 1, int(rng.random() * min(7, 1 + age_days))))
    hours = timedelta(hours=1)
    t = {"received": received}
    t["contact"] = received + hours * (rng.uniform(0.2, 20) if rng.random() < 0.86 else rng.uniform(24, 60))
    t["dispatch"] = t["contact"] + hours * rng.uniform(0.5, 8)
    t["propose"] = t["dispatch"] + hours * rng.uniform(4, 120)
    t["approve"] = t["propose"] + hours * rng.uniform(1, 24)
    t["agree"] = t["approve"] + hours * rng.uniform(1, 24)
    t["implement"] = t["agree"] + hours * rng.uniform(12, 200)
    t["callback"] = t["implement"] + hours * rng.uniform(6, 120)
    steps = ["contact", "dispatch", "propose", "approve", "agree", "implement", "callback"][:reach] \
        if closure != "invalid" else ["contact"]
    steps = [s for s in steps if t[s] < now]
    reach = len(steps)
    closed_at = None
    if closure:
        last = t[steps[-1]] if steps else received
        closed_at = last + hours if closure == "forced" or not steps else last
        closed_at = min(closed_at, now - hours / 60)
        if closure == "invalid":
            closed_at = min(t["contact"] + hours * rng.uniform(2, 48), now - hours / 60)
    state = State.CLOSED if closure else path[min(reach, len(path) - 1)]
    unit_id, provider = rng.choice(units) if "dispatch" in steps else (None, False)
    reopened = closure == "satisfied" and rng.random() < 0.05
    loss = round(rng.lognormvariate(7, 2), 2) if rng.random() < 0.3 else None
    severity = severity_for_loss(None if loss is None else Decimal(str(loss)))
    major = severity in MAJOR_SEVERITIES  # as intake decides it
    customer = first_customer + int(rng.paretovariate(1.2)) % customer_count
    complaints.add(
        pk, number, kind, customer, weighted(rng, CHANNELS), received, category, rng.choice(SUBJECTS),
        description, "", "", priority, "C", loss, severity, major, unit_id, unit_id, 0, agent,
        "invalid" if closure == "invalid" else ("valid" if "propose" in steps else ""), False,
        "流程执行不到位" if "propose" in steps else "", "向客户说明并整改" if "propose" in steps else "",
        "explanation" if "propose" in steps else "", None, "已整改" if "implement" in steps else "",
        closure, "客户撤诉" if closure == "forced" else "", None, 0, 1 if reopened else 0, state, len(steps) + 1,
        received, t["contact"] if "contact" in steps else None, t["dispatch"] if "dispatch" in steps else None,
        t["implement"] if "implement" in steps else None, closed_at)
    counts.by_state[state] = counts.by_state.get(state, 0) + 1

    def clock(kind_, started, met, unit_kind=""):
        if kind_ == "long_open":  # not a policy: three calendar months, as intake starts it
            policy_id, due, warn, overdue = None, add_calendar_months(started, LONG_OPEN_MONTHS), None, None
        else:
            deadlines = clocks.deadlines(case_kind=kind, milestone=kind_, priority=priority, started_at=started,
                                         unit_kind=unit_kind)
            if deadlines is None:
                return
            policy_id, due, warn, overdue = deadlines
        done = closed_at if met is None and closed_at and kind_ == "long_open" else met
        end = done or now
        level = max([lv for lv, at in ((0, warn), (1, due), (2, overdue)) if at is not None and at <= end],
                    default=-1) if kind_ != "long_open" else (3 if due <= end else -1)
        if done is not None:
            status = "met" if done <= due else "breached"
        elif closed_at is not None:
            status = "cancelled"
        else:
            status = "breached" if due <= now else "pending"
        milestones.add(ct, pk, number, kind_, 0, policy_id, started, due, warn, overdue, done, status, level, agent,
                       unit_id)

    clock("first_contact", received, t["contact"] if "contact" in steps else None)
    clock("progress_reply", received, t["agree"] if "agree" in steps else None)
    clock("resolution", received, t["implement"] if "implement" in steps else None)
    clock("long_open", received, None)
    if "dispatch" in steps:
        clock("unit_solution", t["dispatch"], t["propose"] if "propose" in steps else None,
              unit_kind="provider" if provider else "internal")
    if "implement" in steps:
        clock("callback", t["implement"], t["callback"] if "callback" in steps else None)

    events.add(ct, pk, "created", "register", agent, "", path[0], "", received)
    previous = path[0]
    for index, step in enumerate(steps):
        target = path[min(index + 1, len(path) - 1)]
        if step == "callback":
            target = State.CLOSED if closure in ("satisfied", "unreachable") else State.RESOLVED
        events.add(ct, pk, "transition", ACTIONS[step], agent, previous, target, "", t[step])
        previous = target
    if closure in ("forced", "invalid"):
        events.add(ct, pk, "transition", "force_close" if closure == "forced" else "approve", agent, previous,
                   State.CLOSED, "", closed_at)
    if "callback" in steps:
        at = t["callback"]
        if closure == "unreachable":
            for attempt in range(UNREACHABLE_ATTEMPTS_TO_CLOSE):  # the attempt that closes it comes last
                callbacks.add(pk, 0, "unreachable", False, "", agent,
                              at - hours * 24 * (UNREACHABLE_ATTEMPTS_TO_CLOSE - 1 - attempt))
        else:
            if reopened:
                callbacks.add(pk, 0, "dissatisfied", rng.random() < 0.2, "", agent, at - hours * 48)
            outcome = rng.choices(["very_satisfied", "satisfied", "neutral"], [30, 55, 15])[0]
            for _ in range(2 if category in TWO_CALLBACK_CATEGORIES else 1):
                callbacks.add(pk, 1 if reopened else 0, outcome, False, "", agent, at)
