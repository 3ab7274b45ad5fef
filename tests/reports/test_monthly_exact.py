"""Issue 10: the monthly KPIs exactly as seed 001 writes them, each situation built through the
services under a controlled clock (September 2026: a complaint received Mon 7 Sep 10:00 has its
unit's solution due Thu 10 Sep 16:30 and its resolution — the closure deadline — Sun 20 Sep 16:30,
a make-up working day)."""

from fractions import Fraction as F

from complaints import services
from complaints.models import Complaint
from reports.monthly import monthly_report
from reports.periods import Month

from ..factories import UnitFactory

SEPTEMBER, OCTOBER, NOVEMBER = Month(2026, 9), Month(2026, 10), Month(2026, 11)


def unit_row(report, unit):
    return next(u for u in report.units if u.unit_id == unit.pk)


def test_two_false_reply_callbacks_on_one_complaint_count_once(desk, unit_a):
    """Seed 001 3.8 虚假回复数量: "判定为虚假回复的抱怨数量" — complaints, not callbacks."""
    complaint = desk.resolve("2026-09-07 10:00", unit_a, contacted="2026-09-07 11:00", implemented="2026-09-09 10:00")
    complaint = desk.call(complaint, "2026-09-10 10:00", "satisfied", false_reply=True)  # back to the unit
    complaint = desk.work(complaint, "2026-09-11 10:00", "2026-09-14 10:00")
    complaint = desk.call(complaint, "2026-09-15 10:00", "satisfied", false_reply=True)
    assert complaint.reopen_count == 2
    desk.resolve("2026-09-08 10:00", unit_a, contacted="2026-09-08 11:00", implemented="2026-09-09 10:00")

    a = unit_row(monthly_report(month=SEPTEMBER), unit_a)
    assert a.n == 2 and a.false_replies == 1
    assert a.one_time_rate == F(0, 1)  # reached once, never closed


def test_unreachable_then_reached_within_the_deadline_is_a_first_time_closure(desk, unit_a):
    """Seed 001 3.9 一次闭环率 = 抱怨闭环时限内关闭的抱怨量 / 客户服务部实际回访的抱怨量: closed (by the
    callback that closes it) by the first round's resolution deadline, never reopened ÷ complaints
    reached at a callback at least once. The implementation time does not decide it."""
    first = desk.resolve("2026-09-07 10:00", unit_a, contacted="2026-09-07 11:00", implemented="2026-09-09 10:00")
    desk.call(first, "2026-09-10 10:00", "unreachable")
    assert desk.call(first, "2026-09-11 10:00", "satisfied").closure_type == "satisfied"  # 11 Sep ≤ 20 Sep
    # Implemented in time, closed after the deadline: not a first-time closure.
    late = desk.resolve("2026-09-07 10:30", unit_a, contacted="2026-09-07 11:00", implemented="2026-09-18 10:00")
    desk.call(late, "2026-09-22 10:00", "very_satisfied")
    # Reopened by a dissatisfied customer, then closed within the deadline: not first-time either.
    reopened = desk.resolve("2026-09-07 11:00", unit_a, contacted="2026-09-07 11:30", implemented="2026-09-08 10:00")
    reopened = desk.call(reopened, "2026-09-09 10:00", "dissatisfied")
    reopened = desk.work(reopened, "2026-09-10 09:00", "2026-09-11 09:00")
    desk.call(reopened, "2026-09-14 10:00", "satisfied")
    # Never reached (two unreachable attempts so far): not in the denominator.
    silent = desk.resolve("2026-09-07 12:00", unit_a, contacted="2026-09-07 12:30", implemented="2026-09-08 10:00")
    desk.call(silent, "2026-09-09 10:00", "unreachable")
    desk.call(silent, "2026-09-10 10:00", "unreachable")

    a = unit_row(monthly_report(month=SEPTEMBER), unit_a)
    assert (a.n, a.called_back, a.one_time_closed) == (4, 3, 1)
    assert a.one_time_rate == F(1, 3)


def test_the_final_callback_decides_satisfaction(desk, unit_a):
    """Seed 001 7.2 "以回访客户的最终结果作为判断抱怨闭环的唯一依据" and 3.11 处理满意率: a complaint counts as
    satisfied when its final callback (by the month's end) is satisfied or very satisfied; neutral
    (基本满意) never counts."""
    # Quality needs two accepting callbacks: satisfied, then dissatisfied — reopened, final: dissatisfied.
    turned = desk.resolve("2026-09-07 10:00", unit_a, contacted="2026-09-07 11:00", implemented="2026-09-09 10:00",
                          category="product_quality")
    desk.call(turned, "2026-09-10 10:00", "satisfied")
    assert desk.call(turned, "2026-09-11 10:00", "dissatisfied").state == "contacted"
    # Dissatisfied, reworked, then very satisfied: final very satisfied.
    won = desk.resolve("2026-09-07 10:30", unit_a, contacted="2026-09-07 11:00", implemented="2026-09-08 10:00")
    won = desk.call(won, "2026-09-09 10:00", "dissatisfied")
    won = desk.work(won, "2026-09-10 09:00", "2026-09-11 09:00")
    desk.call(won, "2026-09-14 10:00", "very_satisfied")
    # Neutral neither closes nor counts as satisfied (seed 004 closes on satisfied or very satisfied).
    neutral = desk.resolve("2026-09-07 11:00", unit_a, contacted="2026-09-07 11:30", implemented="2026-09-08 10:00")
    assert desk.call(neutral, "2026-09-09 10:00", "neutral").state == "resolved"

    a = unit_row(monthly_report(month=SEPTEMBER), unit_a)
    assert a.satisfied == 1 and a.satisfaction_rate == F(1, 3)


def test_satisfaction_counts_the_callbacks_made_by_the_months_end(desk, unit_a):
    """Seed 001 7.2 with the month's cut-off: a very satisfied callback in October does not change
    September's figure (the last callback by 30 September was dissatisfied)."""
    complaint = desk.resolve("2026-09-21 10:00", unit_a, contacted="2026-09-21 11:00", implemented="2026-09-24 10:00")
    complaint = desk.call(complaint, "2026-09-29 10:00", "dissatisfied")
    complaint = desk.work(complaint, "2026-10-09 09:00", "2026-10-12 09:00")
    desk.call(complaint, "2026-10-13 10:00", "very_satisfied")
    a = unit_row(monthly_report(month=SEPTEMBER), unit_a)
    assert (a.satisfaction_rate, a.closure_rate, a.one_time_rate) == (F(0, 1), F(0, 1), F(0, 1))


def test_an_online_forum_complaint_open_at_the_months_end_carries_into_the_next_month(desk, unit_a):
    """Seed 001 网络抱怨 6.4 "对于次月仍未闭环的抱怨，累积计入次月网络抱怨处理情况进行考核", with criterion
    5.1.4 论坛负面信息关闭率为100%: carried until closed."""
    forum = desk.resolve("2026-09-25 10:00", unit_a, contacted="2026-09-25 11:00", implemented="2026-10-20 10:00",
                         channel="online_forum")
    desk.clock.set("2026-10-31 12:00")
    september, october = monthly_report(month=SEPTEMBER), monthly_report(month=OCTOBER)
    assert unit_row(september, unit_a).forum_open == 1
    october_a = unit_row(october, unit_a)  # no complaint of October, yet it has a row
    assert (october_a.n, october_a.carried_forum, october_a.carried_forum_closed) == (0, 1, 0)
    assert october_a.forum_closure_rate == F(0, 1)
    assert "5.1.4 1 online-forum complaints not closed" in october_a.support_refusals
    assert [u.unit_id for u in october.carried_forum_units] == [unit_a.pk]

    desk.call(forum, "2026-11-03 10:00", "satisfied")
    november_a = unit_row(monthly_report(month=NOVEMBER), unit_a)
    assert (november_a.carried_forum, november_a.carried_forum_closed, november_a.forum_open) == (1, 1, 0)
    assert november_a.forum_closure_rate == 1
    assert unit_row(monthly_report(month=OCTOBER), unit_a).forum_open == 1  # October stays as it was
    assert not [u for u in monthly_report(month=Month(2026, 12)).units if u.carried_forum]  # closed: no longer carried


def test_a_transferred_complaint_counts_against_the_original_unit(desk, unit_a):
    """Seed 001 5.2.2.1 "该抱怨计入原销售服务商抱怨限值": the limit and every KPI count a transferred
    complaint against the unit it was first dispatched to (counted_unit), whoever has it now."""
    unit_a.monthly_complaint_limit = 1
    unit_a.save()
    other = UnitFactory(code="ZZ", name="接手服务商")
    for minute in ("10:00", "10:30"):
        complaint = desk.register(f"2026-09-07 {minute}", category="technical")
        desk.contact_and_dispatch(complaint, "2026-09-07 11:00", unit_a)
    desk.clock.set("2026-09-08 09:00")
    complaint = services.complaint_transfer(complaint=Complaint.objects.get(pk=complaint.pk), actor=desk.agent,
                                            unit=other, note="客户要求更换服务商")
    assert (complaint.responsible_unit, complaint.counted_unit) == (other, unit_a)

    report = monthly_report(month=SEPTEMBER)
    assert [u.unit_id for u in report.units] == [unit_a.pk]
    a = unit_row(report, unit_a)
    assert (a.n, a.limited_n, a.contact_rate) == (2, 2, 1)
    assert a.over_limit and a.support_refusals[0] == "5.1.1 over its monthly complaint limit (2 > 1)"


def test_repair_requests_have_their_own_figures_and_stay_out_of_the_complaint_kpis(desk, unit_a):
    """Seed 001 6.2.9 报修: 回复及时率, 24h联系客户率, 闭环率 of their own (reply: the 3-working-day
    resolution clock met in time, 6.2.7); 6.2.10: not part of the support verdict."""
    on_time = desk.resolve("2026-09-07 10:00", unit_a, contacted="2026-09-07 11:00", implemented="2026-09-09 10:00",
                           kind="repair_request")
    desk.call(on_time, "2026-09-10 10:00", "satisfied")
    late = desk.resolve("2026-09-08 10:00", unit_a, contacted="2026-09-09 12:00", implemented="2026-09-16 10:00",
                        kind="repair_request")  # contacted after 26 h, resolved after 3 working days
    desk.resolve("2026-09-14 10:00", unit_a, contacted="2026-09-14 11:00", implemented="2026-09-15 10:00")

    report = monthly_report(month=SEPTEMBER)
    [repairs] = report.repairs
    assert (repairs.unit_id, repairs.n) == (unit_a.pk, 2)
    assert (repairs.contact_rate, repairs.reply_rate, repairs.closure_rate) == (F(1, 2), F(1, 2), F(1, 2))
    assert report.repair_total.n == 2
    a = unit_row(report, unit_a)
    assert (a.n, a.contact_rate, a.reply_rate) == (1, 1, 1)  # the complaint only
    assert report.total.n == 1
    assert late.kind == "repair_request" and a.support_refusals == ["5.1.3 monthly closure rate below 100%"]


def test_an_on_the_spot_resolution_is_a_first_time_satisfied_closure(desk, unit_a, agent):
    """Seed 001 3.9 and 7.2 for the coming on-the-spot resolution (not built yet: its rows are set
    directly): closed satisfied at once with a satisfied callback — reached, closed within the
    deadline, final result satisfied."""
    from satisfaction.models import Callback

    complaint = desk.register("2026-09-07 10:00")
    complaint = desk.contact_and_dispatch(complaint, "2026-09-07 10:05", unit_a)
    Complaint.objects.filter(pk=complaint.pk).update(state="closed", closure_type="satisfied",
                                                     closed_at=desk.clock.set("2026-09-07 10:30"))
    Callback.objects.create(complaint=complaint, outcome="satisfied", called_by=agent, called_at=desk.clock.now)
    a = unit_row(monthly_report(month=SEPTEMBER), unit_a)
    assert (a.one_time_rate, a.closure_rate, a.satisfaction_rate) == (1, 1, 1)
