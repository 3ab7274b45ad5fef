"""A month (October 2026) with known cases, for the report tests."""

from datetime import datetime
from zoneinfo import ZoneInfo

from satisfaction.models import Callback

from ..factories import ComplaintFactory, CustomerFactory, UnitFactory, clock_create

TZ = ZoneInfo("Asia/Shanghai")


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def clock(complaint, kind, due, met=None):
    met_at = at(met) if met else None
    status = "pending" if met_at is None else ("met" if met_at <= at(due) else "breached")
    clock_create(complaint, kind=kind, started_at=complaint.received_at, due_at=at(due), met_at=met_at,
                 status=status)


def callback(complaint, agent, outcome, *, round=0, false_reply=False, when="2026-10-20 10:00"):
    Callback.objects.create(complaint=complaint, outcome=outcome, round=round, false_reply=false_reply,
                            called_by=agent, called_at=at(when))


def october(agent):
    """Returns (unit_a, unit_b). Expected figures are spelled out in test_monthly.py."""
    unit_a = UnitFactory(code="A01", name="质量部", monthly_complaint_limit=2)
    unit_b = UnitFactory(code="B01", name="上海门店", kind="provider", status="suspended")
    customer = CustomerFactory()

    def complaint(unit, received, **fields):
        fields.setdefault("state", "closed" if fields.get("closure_type") else "assigned")
        return ComplaintFactory(customer=customer, responsible_unit=unit, received_at=at(received),
                                first_responder=agent, **fields)

    # a1: the model case: contacted in 2 h, unit replied and resolved in time, satisfied at the first callback.
    a1 = complaint(unit_a, "2026-10-08 09:00", category="product_quality", first_contacted_at=at("2026-10-08 11:00"),
                   closure_type="satisfied", closed_at=at("2026-10-20 10:00"))
    clock(a1, "unit_solution", "2026-10-12 16:30", "2026-10-10 09:00")
    clock(a1, "resolution", "2026-10-22 16:30", "2026-10-18 09:00")
    callback(a1, agent, "satisfied")
    # a2: late contact (30 h), late reply, reopened once, satisfied in November.
    a2 = complaint(unit_a, "2026-10-09 09:00", category="technical", first_contacted_at=at("2026-10-10 15:00"),
                   reopen_count=1, closure_type="satisfied", closed_at=at("2026-11-05 10:00"))
    clock(a2, "unit_solution", "2026-10-13 16:30", "2026-10-15 09:00")
    clock(a2, "resolution", "2026-10-23 16:30", "2026-11-03 09:00")
    callback(a2, agent, "dissatisfied", when="2026-10-28 10:00")
    callback(a2, agent, "very_satisfied", round=1, when="2026-11-05 10:00")
    # a3: in time everywhere, but the customer never answered the callback: U.
    a3 = complaint(unit_a, "2026-10-10 09:00", category="service_process", first_contacted_at=at("2026-10-10 10:00"),
                   closure_type="unreachable", closed_at=at("2026-10-25 10:00"))
    clock(a3, "unit_solution", "2026-10-14 16:30", "2026-10-12 09:00")
    clock(a3, "resolution", "2026-10-24 16:30", "2026-10-20 09:00")
    for day in ("21", "23", "25"):
        callback(a3, agent, "unreachable", when=f"2026-10-{day} 10:00")
    # a4: forced closure in October (on the forced list); contacted exactly at 24 h.
    complaint(unit_a, "2026-10-12 09:00", category="price", first_contacted_at=at("2026-10-13 09:00"),
              closure_type="forced", closed_at=at("2026-10-28 10:00"), closure_reason="客户撤诉")
    # a5: an online-forum complaint still open at the end of the month; never contacted.
    complaint(unit_a, "2026-10-15 09:00", category="price", channel="online_forum")
    # a6: the unit reported work it had not done: false reply, reopened, open.
    a6 = complaint(unit_a, "2026-10-16 09:00", category="contract", first_contacted_at=at("2026-10-16 10:00"),
                   reopen_count=1)
    clock(a6, "unit_solution", "2026-10-20 16:30", "2026-10-19 09:00")
    callback(a6, agent, "satisfied", false_reply=True, when="2026-10-27 10:00")
    # Not in October's N: a repair request, a September complaint force-closed in October, a November one.
    complaint(unit_a, "2026-10-20 09:00", kind="repair_request", first_contacted_at=at("2026-10-20 10:00"))
    complaint(unit_a, "2026-09-28 09:00", closure_type="forced", closed_at=at("2026-10-03 10:00"))
    complaint(unit_a, "2026-11-01 00:00")
    complaint(unit_a, "2026-10-31 23:59:59", category="other")  # the last second of October counts: a7
    # b1: accepted as "neutral" at the first callback: one-time closure, but not "satisfied".
    b1 = complaint(unit_b, "2026-10-05 09:00", first_contacted_at=at("2026-10-05 09:30"),
                   closure_type="satisfied", closed_at=at("2026-10-10 10:00"))
    clock(b1, "unit_solution", "2026-10-06 09:00", "2026-10-06 08:00")
    clock(b1, "resolution", "2026-10-09 16:30", "2026-10-09 09:00")
    callback(b1, agent, "neutral", when="2026-10-10 10:00")
    # Not dispatched yet.
    complaint(None, "2026-10-30 09:00", state="registered")
    # Open for over three months at the end of October (received before 1 Aug), and one just inside.
    complaint(unit_b, "2026-07-31 23:00", subject="七月底的投诉")
    complaint(unit_b, "2026-08-01 00:00", subject="八月一日的投诉")
    complaint(unit_b, "2026-06-15 09:00", subject="已闭环的旧投诉", closure_type="satisfied",
              closed_at=at("2026-10-15 09:00"))
    return unit_a, unit_b
