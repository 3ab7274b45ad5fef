"""One month with every outcome the loop knows, each complaint walked through the real actions
under a controlled clock, and every KPI of every unit asserted to the fraction (October 2026:
1–7 October are the National Day holidays, Saturday 10 October a make-up working day).

Unit A (QA, internal: the unit's solution is due in 3 working days) and unit B (DB, a service
provider: 24 hours). A complaint received Mon 12 Oct 10:00 must be closed by Mon 26 Oct 16:30.
The rules are those of the company's 400 complaint regulation (seed 001): 3.6 reply timeliness,
3.7 24-hour contact, 3.8 false replies per complaint, 3.9 one-time closure, 3.10 monthly closure,
3.11 satisfaction by the final callback (7.2), 5.2.2.1 a transferred complaint counts against the
first unit, 6.2.9 repair requests apart, 6.4 forum complaints carried into the next month, and the
support criteria 5.1.1–5.1.6."""

from datetime import date
from fractions import Fraction as F

import pytest

from complaints import services
from reports.models import NegativeMediaExposure
from reports.monthly import monthly_report
from reports.periods import Month

from .lifecycle import Desk

OCTOBER, NOVEMBER = Month(2026, 10), Month(2026, 11)


@pytest.fixture
def month(clock, agent, handler_a, handler_b, manager, unit_a, unit_b):
    a = Desk(clock, agent=agent, handler=handler_a, manager=manager)
    b = Desk(clock, agent=agent, handler=handler_b, manager=manager)

    def closed_satisfied(desk, unit, received, *, contacted=None, proposed, implemented, called, **kwargs):
        complaint = desk.register(received, **kwargs)
        complaint = desk.contact_and_dispatch(complaint, contacted or received.replace("10:00", "11:00"), unit)
        complaint = desk.work(complaint, proposed, implemented)
        return desk.call(complaint, called, "satisfied")

    # a1: in time everywhere.
    closed_satisfied(a, unit_a, "2026-10-12 10:00", proposed="2026-10-13 10:00", implemented="2026-10-14 10:00",
                     called="2026-10-15 10:00")
    # a2: contacted 26 hours after receipt.
    closed_satisfied(a, unit_a, "2026-10-12 10:00", contacted="2026-10-13 12:00", proposed="2026-10-14 10:00",
                     implemented="2026-10-15 10:00", called="2026-10-16 10:00")
    # a3: the unit's solution a day late (due Thu 15 Oct 16:30), closed in time all the same.
    closed_satisfied(a, unit_a, "2026-10-12 10:00", proposed="2026-10-16 10:00", implemented="2026-10-19 10:00",
                     called="2026-10-20 10:00")
    # a4: a preliminary reply the next morning answers the reply clock (5.2); the solution comes later.
    a4 = a.contact_and_dispatch(a.register("2026-10-12 10:00"), "2026-10-12 11:00", unit_a)
    clock.set("2026-10-13 09:00")
    services.complaint_reply_preliminary(complaint=a4, actor=handler_a, note="已到店检查，等待配件")
    a4 = a.work(a4, "2026-10-19 10:00", "2026-10-20 10:00")
    a.call(a4, "2026-10-21 10:00", "very_satisfied")
    # a5: the customer asks for another provider: transferred to B, which solves it — counted against A.
    a5 = a.contact_and_dispatch(a.register("2026-10-13 10:00"), "2026-10-13 11:00", unit_a)
    clock.set("2026-10-14 09:00")
    a5 = services.complaint_transfer(complaint=a5, actor=agent, unit=unit_b, note="客户要求更换服务商")
    a5 = b.work(a5, "2026-10-14 15:00", "2026-10-15 10:00")
    b.call(a5, "2026-10-16 10:00", "satisfied")
    # a6: reopened twice by a dissatisfied customer, then satisfied.
    a6 = a.contact_and_dispatch(a.register("2026-10-12 11:00"), "2026-10-12 11:30", unit_a)
    a6 = a.work(a6, "2026-10-13 10:00", "2026-10-14 10:00")
    a6 = a.call(a6, "2026-10-15 10:00", "dissatisfied")
    a6 = a.work(a6, "2026-10-16 10:00", "2026-10-19 10:00")
    a6 = a.call(a6, "2026-10-20 10:00", "dissatisfied")
    a6 = a.work(a6, "2026-10-21 10:00", "2026-10-22 10:00")
    a.call(a6, "2026-10-23 10:00", "satisfied")
    # a7: two false replies on one case, then a true one.
    a7 = a.contact_and_dispatch(a.register("2026-10-13 10:00"), "2026-10-13 11:00", unit_a)
    a7 = a.work(a7, "2026-10-14 10:00", "2026-10-15 10:00")
    a7 = a.call(a7, "2026-10-16 10:00", "satisfied", false_reply=True)
    a7 = a.work(a7, "2026-10-19 10:00", "2026-10-20 10:00")
    a7 = a.call(a7, "2026-10-21 10:00", "satisfied", false_reply=True)
    a7 = a.work(a7, "2026-10-22 10:00", "2026-10-23 10:00")
    a.call(a7, "2026-10-26 10:00", "satisfied")
    # a8: unreachable once, reached the next day, within the closure deadline (Wed 28 Oct).
    a8 = a.contact_and_dispatch(a.register("2026-10-14 10:00"), "2026-10-14 11:00", unit_a)
    a8 = a.work(a8, "2026-10-15 10:00", "2026-10-16 10:00")
    a.call(a8, "2026-10-19 10:00", "unreachable")
    a.call(a8, "2026-10-20 10:00", "satisfied")
    # a9: three unreachable attempts: closed as unreachable (U).
    a9 = a.contact_and_dispatch(a.register("2026-10-14 11:00"), "2026-10-14 11:30", unit_a)
    a9 = a.work(a9, "2026-10-15 10:00", "2026-10-16 10:00")
    for day in ("19", "20", "21"):
        a9 = a.call(a9, f"2026-10-{day} 10:00", "unreachable")
    assert a9.closure_type == "unreachable"
    # a10: force-closed by the manager before the unit replied.
    a10 = a.contact_and_dispatch(a.register("2026-10-15 10:00"), "2026-10-15 11:00", unit_a)
    clock.set("2026-10-20 10:00")
    services.complaint_force_close(complaint=a10, actor=manager, reason="客户期望明显过高")
    # a11: invalid, closed by the manager's approval before any dispatch: "not yet dispatched".
    a11 = a.register("2026-10-15 11:00")
    clock.set("2026-10-15 12:00")
    a11 = services.complaint_contact(complaint=a11, actor=agent, note="已联系")
    a11 = services.complaint_propose_invalid(complaint=a11, actor=agent, reason="非本公司产品")
    clock.set("2026-10-16 10:00")
    services.complaint_approve(complaint=a11, actor=manager)
    # Repair requests to B (6.2): one in time, one contacted and repaired late and not called back.
    r1 = b.contact_and_dispatch(b.register("2026-10-19 10:00", kind="repair_request"), "2026-10-19 11:00", unit_b)
    r1 = b.work(r1, "2026-10-21 10:00", "2026-10-21 10:00")
    b.call(r1, "2026-10-22 10:00", "satisfied")
    r2 = b.contact_and_dispatch(b.register("2026-10-20 10:00", kind="repair_request"), "2026-10-21 11:00", unit_b)
    b.work(r2, "2026-10-27 10:00", "2026-10-27 10:00")
    # a14: an online-forum complaint still open at the end of October, closed in November.
    a14 = a.contact_and_dispatch(a.register("2026-10-26 10:00", channel="online_forum"), "2026-10-26 11:00", unit_a)
    a14 = a.work(a14, "2026-10-27 10:00", "2026-10-28 10:00")
    a.call(a14, "2026-11-03 10:00", "satisfied")
    # b15: closed after the month's end: in October not yet called back nor closed.
    b15 = b.contact_and_dispatch(b.register("2026-10-28 10:00"), "2026-10-28 11:00", unit_b)
    b15 = b.work(b15, "2026-10-28 15:00", "2026-10-30 10:00")
    b.call(b15, "2026-11-02 10:00", "satisfied")
    # a16: solved during the first call and confirmed there (首问责任制): never dispatched.
    a16 = a.register("2026-10-19 10:00")
    clock.set("2026-10-19 10:10")
    services.complaint_resolve_on_the_spot(complaint=a16, actor=agent, note="告知客户预约方式，客户确认")
    # b17: neutral at the first callback (not closed), satisfied at the second.
    b17 = b.contact_and_dispatch(b.register("2026-10-13 10:00"), "2026-10-13 11:00", unit_b)
    b17 = b.work(b17, "2026-10-13 15:00", "2026-10-14 10:00")
    assert b.call(b17, "2026-10-15 10:00", "neutral").state == "resolved"
    b.call(b17, "2026-10-16 10:00", "satisfied")
    # b18: neutral is its final answer in October.
    b18 = b.contact_and_dispatch(b.register("2026-10-14 10:00"), "2026-10-14 11:00", unit_b)
    b18 = b.work(b18, "2026-10-14 16:00", "2026-10-15 10:00")
    b.call(b18, "2026-10-16 10:00", "neutral")
    # a19: the manager rejects the first solution (a new round, not a reopen), the second goes through.
    a19 = a.contact_and_dispatch(a.register("2026-10-20 10:00"), "2026-10-20 11:00", unit_a)
    clock.set("2026-10-21 10:00")
    a19 = services.complaint_propose(complaint=a19, actor=handler_a, root_cause="r", solution="s",
                                     resolution_type="explanation")
    clock.set("2026-10-21 15:00")
    a19 = services.complaint_reject(complaint=a19, actor=manager, note="补偿不足")
    a19 = a.work(a19, "2026-10-22 10:00", "2026-10-23 10:00")
    a.call(a19, "2026-10-26 10:00", "satisfied")
    # a20: product quality needs two satisfied callbacks.
    a20 = a.contact_and_dispatch(a.register("2026-10-21 10:00", category="product_quality"), "2026-10-21 11:00",
                                 unit_a)
    a20 = a.work(a20, "2026-10-22 10:00", "2026-10-23 10:00")
    a.call(a20, "2026-10-26 10:00", "satisfied")
    assert a.call(a20, "2026-10-27 10:00", "satisfied").state == "closed"
    # a21: registered on the last Friday, not contacted by the month's end.
    a.register("2026-10-30 10:00")
    # a22: A hands it back to the desk, which sends it to B: still counted against A.
    a22 = a.contact_and_dispatch(a.register("2026-10-22 10:00"), "2026-10-22 11:00", unit_a)
    clock.set("2026-10-22 14:00")
    a22 = services.complaint_hand_back(complaint=a22, actor=handler_a, note="属于经销商责任")
    clock.set("2026-10-22 15:00")
    a22 = services.complaint_dispatch(complaint=a22, actor=agent, unit=unit_b)
    a22 = b.work(a22, "2026-10-23 10:00", "2026-10-27 10:00")
    b.call(a22, "2026-10-29 10:00", "satisfied")
    # Not October's: a September forum complaint to B still open on 1 October (carried over), closed
    # on 12 October; and a November complaint.
    b23 = b.contact_and_dispatch(b.register("2026-09-28 10:00", channel="online_forum"), "2026-09-28 11:00", unit_b)
    b23 = b.work(b23, "2026-09-28 15:00", "2026-09-29 10:00")
    b.call(b23, "2026-10-12 10:00", "satisfied")
    a.register("2026-11-02 10:00")
    # The unit's terms, set at the start of the month (5.1.1), and the manager's record (5.1.5).
    clock.set("2026-10-01 08:00")
    unit_a.monthly_complaint_limit = 13
    unit_a.save()
    NegativeMediaExposure.objects.create(unit=unit_b, date=date(2026, 10, 20), description="微博负面报道")
    clock.set("2026-11-20 09:00")
    return monthly_report(month=OCTOBER)


def row(report, unit):
    return next(u for u in report.units if u.unit_id == (unit.pk if unit else None))


def figures(u):
    return {"n": u.n, "unreachable": u.unreachable, "contact": u.contact_rate, "reply": u.reply_rate,
            "false replies": u.false_replies, "one-time": u.one_time_rate, "closure": u.closure_rate,
            "satisfaction": u.satisfaction_rate, "limited": u.limited_n, "forum open": u.forum_open}


def test_unit_a_every_kpi(month, unit_a):
    """14 complaints counted against A, the transferred a5 and the handed-back a22 among them."""
    a = row(month, unit_a)
    assert figures(a) == {
        "n": 14, "unreachable": 1,                      # a9
        "contact": F(13, 14),                           # all but a2
        "reply": F(10, 14),                             # not a3 (late), a5, a22 (moved on unanswered), a10
        "false replies": 1,                             # a7, twice on one case
        "one-time": F(9, 11),                           # reached: a1–a8, a19, a20, a22; not a6, a7 (reopened)
        "closure": F(12, 13),                           # all closed in October but a14; a9 is U
        "satisfaction": F(11, 13),                      # final results; a10 forced, a14 not called yet
        "limited": 14, "forum open": 1,                 # a14
    }
    assert a.support_refusals == [
        "5.1.1 over its monthly complaint limit (14 > 13)", "5.1.2 one-time closure rate below 100%",
        "5.1.3 monthly closure rate below 100%", "5.1.4 1 online-forum complaints not closed"]


def test_unit_b_every_kpi(month, unit_b):
    """B worked a5 and a22 but they count against A; its own: b15, b17, b18, and b23 carried over."""
    b = row(month, unit_b)
    assert figures(b) == {
        "n": 3, "unreachable": 0, "contact": 1, "reply": 1, "false replies": 0,
        "one-time": F(1, 2),                            # b17 (neutral first) yes; b18 (neutral final) no
        "closure": F(1, 3), "satisfaction": F(1, 3),    # b17
        "limited": 3, "forum open": 0,
    }
    assert (b.carried_forum, b.carried_forum_closed, b.forum_closure_rate) == (1, 1, 1)
    assert b.support_refusals == ["5.1.2 one-time closure rate below 100%", "5.1.3 monthly closure rate below 100%",
                                  "5.1.5 negative media exposure in the month"]


def test_not_yet_dispatched_and_the_total(month):
    """a11 (invalid), a16 (solved on the spot: a one-time closure) and a21 (not yet contacted)."""
    undispatched = row(month, None)
    assert figures(undispatched) == {
        "n": 3, "unreachable": 0, "contact": F(2, 3), "reply": 0, "false replies": 0, "one-time": 1,
        "closure": F(2, 3), "satisfaction": F(1, 3), "limited": 3, "forum open": 0,
    }
    assert figures(month.total) == {
        "n": 20, "unreachable": 1, "contact": F(18, 20), "reply": F(13, 20), "false replies": 1,
        "one-time": F(11, 14), "closure": F(15, 19), "satisfaction": F(13, 19), "limited": 20, "forum open": 1,
    }
    assert [c.closure_reason for c in month.forced_closures] == ["客户期望明显过高"]


def test_repair_requests_apart(month, unit_b):
    """6.2.9: their own reply, contact and closure figures; 6.2.10: none of the complaint KPIs."""
    [repairs] = [r for r in month.repairs if r.unit_id == unit_b.pk]
    assert (repairs.n, repairs.contact_rate, repairs.reply_rate, repairs.closure_rate) == (2, F(1, 2), F(1, 2),
                                                                                          F(1, 2))


def test_november_carries_the_forum_complaint(month, unit_a):
    a = row(monthly_report(month=NOVEMBER), unit_a)
    assert (a.carried_forum, a.carried_forum_closed, a.forum_open) == (1, 1, 0)
