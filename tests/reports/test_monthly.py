"""Every KPI of the monthly closed-loop report, to the exact fraction (SPEC §7; issue 10: seed 001
3.8–3.11 and 7.2 read exactly — callbacks and closures count as they stood at the end of the month)."""

from fractions import Fraction as F

import pytest

from reports.monthly import monthly_report
from reports.periods import Month

from .scene import october


@pytest.fixture
def report(agent):
    october(agent)
    return monthly_report(month=Month(2026, 10))


def by_code(report):
    return {u.code: u for u in report.units}


def test_unit_a(report):
    a = by_code(report)["A01"]
    assert (a.n, a.unreachable, a.reachable) == (7, 1, 6)  # a1–a7; a3 unreachable
    assert a.contact_rate == F(4, 7)  # a1, a3, a4 (exactly 24 h), a6
    assert a.reply_rate == F(3, 7)  # a1, a3, a6 met; a2 late
    assert a.false_replies == 1
    assert a.called_back == 3  # a1, a2, a6 were reached; a3 never
    assert a.one_time_rate == F(1, 3)  # a1 only: a2 reopened, a6 false reply
    assert a.closure_rate == F(2, 6)  # a1, a4 closed in October; a3 excluded; a2 closed in November
    # Seed 001 7.2, the final result decides: a1 only. a2's last callback by 31 October was dissatisfied
    # (its very satisfied one came in November), a6's last one was flagged a false reply.
    assert a.satisfaction_rate == F(1, 6)
    assert a.limited_n == 3 and a.over_limit  # quality a1 + technical a2 + process a3 > 2
    assert a.forum_open == 1
    assert not a.qualifies_for_support
    assert len(a.support_refusals) == 4  # over limit, one-time, monthly closure, forum


def test_unit_b_neutral_closes_but_is_not_satisfied(report):
    b = by_code(report)["B01"]
    assert b.n == 1
    assert (b.contact_rate, b.reply_rate, b.closure_rate) == (1, 1, 1)
    # Seed 001 3.9: the closure decides, not the implementation — b1 was implemented in time
    # (9 Oct 09:00) but closed on 10 Oct, after its closure deadline (9 Oct 16:30).
    assert b.one_time_rate == 0
    assert b.satisfaction_rate == 0
    assert not b.over_limit  # a limit of 0 means no limit
    assert b.support_refusals == ["5.1.2 one-time closure rate below 100%",
                                  "5.1.6 in transition service or suspended in the month"]


def test_undispatched_complaints_and_total(report):
    undispatched = by_code(report)["—"]
    assert undispatched.n == 1 and undispatched.contact_rate == 0
    assert undispatched.one_time_rate is None  # nobody called back: shown as "—"
    total = report.total
    assert total.n == 9 and total.unreachable == 1
    assert total.contact_rate == F(5, 9)
    assert total.reply_rate == F(4, 9)
    assert total.one_time_rate == F(1, 4)
    assert total.closure_rate == F(3, 8)
    assert total.satisfaction_rate == F(1, 8)
    assert total.false_replies == 1


def test_lists(report):
    assert [c.closure_reason for c in report.forced_closures] == ["", "客户撤诉"]  # 3 Oct, then 28 Oct
    assert [c.subject for c in report.open_over_three_months] == ["七月底的投诉"]
    assert [u.code for u in report.over_limit_units] == ["A01"]


def test_a_month_without_complaints_shows_dashes(db):
    report = monthly_report(month=Month(2030, 1))
    assert report.units == [] and report.total.n == 0
    assert report.total.closure_rate is None and report.total.contact_rate is None


def test_fixed_number_of_queries(agent, django_assert_max_num_queries):
    """The complaints, the carried-over forum complaints, the repair requests, the units with their
    terms in the month, and the two lists (issue 10 added the second and third)."""
    october(agent)
    with django_assert_max_num_queries(6):
        monthly_report(month=Month(2026, 10))


def test_the_dashboards_trend_agrees_with_the_monthly_report(agent, django_assert_max_num_queries):
    from reports.monthly import kpi_trend

    october(agent)
    with django_assert_max_num_queries(1):
        trend = kpi_trend(last=Month(2026, 11), months=3)
    assert [str(p.month) for p in trend] == ["2026-09", "2026-10", "2026-11"]
    october_total = monthly_report(month=Month(2026, 10)).total
    point = trend[1].total
    assert (point.n, point.closure_rate, point.contact_rate, point.satisfaction_rate) == (
        october_total.n, october_total.closure_rate, october_total.contact_rate, october_total.satisfaction_rate)
    assert trend[2].total.n == 1 and trend[0].total.n == 1  # 1 November; the September one force-closed in October
