"""Survey figures (issue 11): the response rate against 85 %, the satisfaction index per unit, tier
and month to the exact fraction, the quarterly report and the half-year analysis, their pages and
files, the annual assessment's satisfaction component, and a query count that does not grow."""

import csv
import io
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from casework.tabular import FORMULA_STARTS
from reports.annual import annual_assessment
from reports.periods import HalfYear, Month, Quarter
from reports.satisfaction import (
    campaign_index,
    campaign_response,
    half_year_analysis,
    satisfaction_index,
    satisfaction_report,
)
from satisfaction.models import SurveyAnswer, SurveyCampaign, SurveyQuestion, SurveyTemplateVersion

from ..factories import CustomerFactory
from .scene import at

Q4 = Quarter(2026, 4)


def answered(make_survey, *, unit, tier, when, scores, version=None, campaign=None):
    """An answered survey with one answer per score question of its version, in order."""
    extra = {"campaign": campaign} if campaign else {}
    if version:
        extra["template_version"] = version
    survey = make_survey(state="answered", answered_at=at(when), responsible_unit=unit,
                         customer=CustomerFactory(tier=tier), **extra)
    questions = list(survey.template_version.questions.order_by("position"))
    score_questions = [q for q in questions if q.kind == "score"]
    assert len(score_questions) == len(scores)
    for question, score in zip(score_questions, scores, strict=True):
        SurveyAnswer.objects.create(survey=survey, question=question, score=score)
    for question in questions:
        if question.kind == "choice":
            SurveyAnswer.objects.create(survey=survey, question=question, choice="会")
    return survey


@pytest.fixture
def version2(questionnaire):
    """Version 2 of the questionnaire: two score questions (the second the weakest)."""
    version = SurveyTemplateVersion.objects.create(template=questionnaire.template, number=2)
    SurveyQuestion.objects.create(version=version, position=1, kind="score", text_zh="总体满意度",
                                  text_en="Overall satisfaction")
    SurveyQuestion.objects.create(version=version, position=2, kind="score", text_zh="响应速度",
                                  text_en="Speed of response")
    return version


@pytest.fixture
def surveys(make_survey, campaign, unit_a, unit_b, version2, manager):
    """40 answered surveys in 2026-Q4 with known scores, and the campaign's unanswered ones.

    unit_a, key customers, October: 12 × 5, 6 × 4, 2 × 2 → 20 answers, Σ 88
    unit_b, ordinary, November:     5 × 3, 5 × 4, 5 × 1 → 15 answers, Σ 40
    unit_a, ordinary, December, version 2: 5 × (5, 3)   → 10 answers, Σ 40
    """
    for score, count in ((5, 12), (4, 6), (2, 2)):
        for _ in range(count):
            answered(make_survey, unit=unit_a, tier="key", when="2026-10-15 10:00", scores=[score])
    for score in (3, 4, 1):
        for _ in range(5):
            answered(make_survey, unit=unit_b, tier="ordinary", when="2026-11-02 10:00", scores=[score])
    for _ in range(5):
        answered(make_survey, unit=unit_a, tier="ordinary", when="2026-12-31 23:59", scores=[5, 3],
                 version=version2)
    # Not answered: in the denominator (expired, unreachable, still awaiting) or not sent yet (planned).
    for state, count in (("expired", 4), ("unreachable", 2), ("sent", 1), ("reminded", 1), ("planned", 3)):
        for _ in range(count):
            make_survey(state=state, responsible_unit=unit_a)
    # Outside Q4: answered on 30 September (Asia/Shanghai) in the third quarter's campaign.
    q3 = SurveyCampaign.objects.create(name="2026 三季度", audience="ordinary", period_start=date(2026, 7, 1),
                                       period_end=date(2026, 9, 30), template_version=campaign.template_version,
                                       contact_method="phone", planned_by=manager)
    answered(make_survey, unit=unit_a, tier="key", when="2026-09-30 23:59", scores=[1], campaign=q3)
    answered(make_survey, unit=unit_b, tier="key", when="2026-07-01 00:00", scores=[5], campaign=q3)
    return q3


def test_response_rate_is_answered_over_sent(surveys, campaign):
    figures = campaign_response(campaign=campaign)
    # 40 answered; sent = 40 + 4 expired + 2 unreachable + 1 sent + 1 reminded (the 3 planned are not).
    assert (figures.answered, figures.sent, figures.planned, figures.awaiting) == (40, 48, 3, 2)
    assert figures.rate == Fraction(40, 48)
    assert figures.meets_target is False
    assert campaign_response(campaign=surveys).rate == 1 and campaign_response(campaign=surveys).meets_target


def test_a_campaign_with_nothing_sent_has_no_rate(campaign):
    figures = campaign_response(campaign=campaign)
    assert figures.rate is None and figures.meets_target is None


def test_index_per_unit_to_the_fraction(surveys, unit_a, unit_b):
    rows = {r.code: r for r in satisfaction_index(start=Q4.start, end=Q4.end, by="unit")}
    # unit_a: 30 answers of 25 surveys, Σ 128 → 25 × (128 − 30) / 30.
    assert (rows["QA"].surveys, rows["QA"].answers, rows["QA"].score_sum) == (25, 30, 128)
    assert rows["QA"].index == Fraction(25 * 98, 30) == Fraction(245, 3)
    assert rows["QA"].mean == Fraction(128, 30)
    assert rows["DB"].index == Fraction(25 * 25, 15)
    assert rows["QA"].key == unit_a.pk and rows["DB"].key == unit_b.pk


def test_index_per_tier_and_per_month(surveys):
    tiers = {r.key: r for r in satisfaction_index(start=Q4.start, end=Q4.end, by="tier")}
    assert tiers["key"].index == 85  # 25 × (88 − 20) / 20
    assert tiers["ordinary"].index == Fraction(25 * (80 - 25), 25)
    months = satisfaction_index(start=Q4.start, end=Q4.end, by="month")
    # 23:59 on 31 December in Shanghai is December, whatever UTC says.
    assert [(r.key, r.answers, r.index) for r in months] == [
        (Month(2026, 10), 20, 85), (Month(2026, 11), 15, Fraction(125, 3)), (Month(2026, 12), 10, 75)]
    with pytest.raises(ValueError):
        satisfaction_index(start=Q4.start, end=Q4.end, by="customer")


def test_index_of_all_fives_is_100_and_of_all_ones_0(make_survey, unit_a):
    answered(make_survey, unit=unit_a, tier="key", when="2026-10-01 00:00", scores=[5])
    answered(make_survey, unit=unit_a, tier="ordinary", when="2026-10-01 00:00", scores=[1])
    tiers = {r.key: r.index for r in satisfaction_index(start=Q4.start, end=Q4.end, by="tier")}
    assert tiers == {"key": 100, "ordinary": 0}


def test_quarterly_report(surveys, campaign):
    report = satisfaction_report(period=Q4)
    assert report.total.index == Fraction(25 * (168 - 45), 45)
    assert [c.name for c in report.campaigns] == [campaign.name]  # the Q3 campaign does not overlap Q4
    assert report.campaign_total.rate == Fraction(5, 6)
    by_question = {(q.version, q.position): q for q in report.questions}
    assert by_question[(1, 1)].counts == {1: 5, 2: 2, 3: 5, 4: 11, 5: 12}
    assert by_question[(2, 2)].distribution[2] == (3, 5, 1)
    assert [(q.version, q.position) for q in report.lowest_questions] == [(2, 2), (1, 1), (2, 1)]
    assert campaign_index(campaign=campaign).index == report.total.index


def test_half_year_analysis_compares_with_the_previous_half(surveys, make_survey, unit_a):
    answered(make_survey, unit=unit_a, tier="key", when="2026-03-01 10:00", scores=[3])
    analysis = half_year_analysis(half=HalfYear(2026, 2))
    assert analysis.previous.period == HalfYear(2026, 1)
    units = {c.label: c for c in analysis.by_unit}
    # H2 for unit_a adds September's 1: 31 answers, Σ 129.
    assert units["质量部"].current.index == Fraction(25 * (129 - 31), 31)
    assert units["质量部"].previous.index == 50
    assert units["质量部"].change == Fraction(25 * 98, 31) - 50
    assert units["北京4S店"].previous is None and units["北京4S店"].change is None
    assert {c.name for c in analysis.current.campaigns} == {"2026 下半年重点客户", "2026 三季度"}


def _queries(fn):
    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


def _all_counts():
    return (_queries(lambda: satisfaction_report(period=Q4)),
            _queries(lambda: half_year_analysis(half=HalfYear(2026, 2))),
            _queries(lambda: annual_assessment(year=2026)))


def test_the_query_count_does_not_grow_with_the_surveys(make_survey, unit_a, unit_b):
    def add(count):
        for i in range(count):
            answered(make_survey, unit=unit_a if i % 2 else unit_b, tier=("key", "ordinary", "potential")[i % 3],
                     when=f"2026-1{i % 3}-0{1 + i % 9} 10:00", scores=[1 + i % 5])

    add(10)
    small = _all_counts()
    add(190)
    large = _all_counts()
    assert small == large == (5, 10, 3)
    assert sum(r.surveys for r in satisfaction_index(start=Q4.start, end=Q4.end, by="unit")) == 200


def test_annual_satisfaction_component(make_survey, unit_a, unit_b, version2):
    for _ in range(9):
        answered(make_survey, unit=unit_a, tier="key", when="2026-05-01 10:00", scores=[5])
    answered(make_survey, unit=unit_a, tier="key", when="2026-05-01 10:00", scores=[3])  # Σ 48 / 10 → 95
    answered(make_survey, unit=unit_b, tier="key", when="2026-05-01 10:00", scores=[4, 3], version=version2)  # 62.5
    rows = {r.unit.code: r for r in annual_assessment(year=2026)}
    assert (rows["QA"].satisfaction_index, rows["QA"].satisfaction, rows["QA"].score) == (95, Decimal("0.5"),
                                                                                           Decimal("0.5"))
    assert (rows["DB"].satisfaction_index, rows["DB"].satisfaction) == (Fraction(125, 2), Decimal("-0.5"))
    assert annual_assessment(year=2025)[0].satisfaction_index is None


# --- pages and files ------------------------------------------------------------

PAGES = ["/reports/satisfaction/quarterly/?quarter=2026-Q4", "/reports/satisfaction/half-year/?half=2026-H2"]


@pytest.mark.parametrize("url", PAGES + [p.replace("/?", "/export/?") + "&format=csv" for p in PAGES])
def test_managers_and_admins_read_the_satisfaction_reports(surveys, manager_client, admin_client_role, agent_client,
                                                           handler_a_client, url):
    assert manager_client.get(url).status_code == 200
    assert admin_client_role.get(url).status_code == 200
    assert agent_client.get(url).status_code == 403
    assert handler_a_client.get(url).status_code == 403


def test_quarterly_page_has_the_chart_its_data_and_the_table(surveys, manager_client):
    page = manager_client.get(PAGES[0]).content.decode()
    assert 'id="satisfaction-chart"' in page and 'id="satisfaction-data"' in page
    assert "chart.umd.min.js" in page and "js/satisfaction.js" in page
    assert "81.7" in page  # unit_a's index, 245/3
    assert "83.3%" in page and "85%" in page
    assert "Speed of response" in page
    assert "<script>" not in page  # no inline script (CSP)


def test_half_year_page_shows_the_previous_half(surveys, manager_client):
    page = manager_client.get(PAGES[1]).content.decode()
    assert "2026-H1" in page and "satisfaction-chart" in page


@pytest.mark.parametrize("url", ["/reports/satisfaction/quarterly/?quarter=2026-Q5",
                                 "/reports/satisfaction/half-year/?half=2026-H3",
                                 "/reports/satisfaction/half-year/?half=<script>"])
def test_bad_period_is_a_field_error(db, manager_client, url):
    response = manager_client.get(url)
    assert response.status_code == 400
    assert "<script>" not in response.content.decode().split("<main>")[1]


def test_the_page_query_count_is_fixed(surveys, manager_client, django_assert_max_num_queries):
    # The session, the user, their roles, the notifications badge, the calendar banner and the
    # session save (8), then the report's 5 queries (the half-year analysis: 10).
    with django_assert_max_num_queries(13):
        manager_client.get(PAGES[0])
    with django_assert_max_num_queries(18):
        manager_client.get(PAGES[1])


ATTACK = "=HYPERLINK(\"http://evil\",\"x\")"


@pytest.fixture
def poisoned(surveys, unit_a, campaign):
    unit_a.name = ATTACK
    unit_a.save()
    campaign.name = "+1+1"
    campaign.save()
    SurveyQuestion.objects.filter(position=2, kind="score").update(text_zh="@SUM(A1)", text_en="-2+3")


# unit_a's index: 245/3 in the quarter; in the half-year with September's 1 as well, 25 × 98 / 31.
UNIT_A_INDEX = {PAGES[0]: Fraction(245, 3), PAGES[1]: Fraction(25 * 98, 31)}


@pytest.mark.parametrize("page", PAGES)
def test_xlsx_opens_and_has_no_formula(poisoned, manager_client, page):
    response = manager_client.get(page.replace("/?", "/export/?") + "&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for s in book.worksheets for row in s.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert "'" + ATTACK in texts and "'+1+1" in texts and "'@SUM(A1)" in texts
    assert "满意度指数" in texts
    numbers = [c for c in cells if isinstance(c.value, float)]
    assert any(c.number_format == "0.0%" for c in numbers)
    assert any(abs(c.value - float(UNIT_A_INDEX[page])) < 1e-9 and c.number_format == "0.0" for c in numbers)


@pytest.mark.parametrize("page", PAGES)
def test_csv_opens_and_has_no_formula(poisoned, manager_client, page):
    response = manager_client.get(page.replace("/?", "/export/?") + "&format=csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    assert "'" + ATTACK in cells and f"{float(UNIT_A_INDEX[page]):.1f}" in cells and "83.3%" in cells
    assert not [c for c in cells if "139" in c]  # no customer's phone or name: no personal data


def test_campaign_figures_tag(surveys, campaign, django_assert_max_num_queries):
    from django.template import Context, Template

    template = Template('{% include "satisfaction/_campaign_figures.html" %}')
    with django_assert_max_num_queries(2):
        html = template.render(Context({"campaign": campaign}))
    assert "83.3%" in html and "85%" in html and "Below target" in html
    assert "81.2" in html or "80.8" in html or str(round(float(campaign_index(campaign=campaign).index), 1)) in html
