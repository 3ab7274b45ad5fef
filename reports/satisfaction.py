"""Satisfaction survey figures (SPEC §6, seed 002 第十三条–第十四条, seed 004 5.5.1): every formula
in one place, computed by database aggregation in a fixed number of queries whatever the number
of surveys and answers. docs/reports.md states each formula and why.

- Response rate 回收率 of a campaign = answered ÷ surveys sent, where *sent* is every survey that
  has left the planned state: sent, reminded, answered, expired and unreachable. A planned survey
  has not asked anyone yet; an unreachable one did try and came back with nothing, so it counts
  against the rate like an expired one (otherwise marking surveys unreachable would raise the
  rate). Target: 85 % ("调查表的回收率应争取达到85%以上", seed 004 5.5.1). While a campaign runs
  the surveys still awaiting an answer are in the denominator, so the rate only rises.
- Satisfaction index 满意度指数 over surveys *answered* in [start, end) (Asia/Shanghai periods): the
  mean of every score answer (1–5) of those surveys, mapped to 0–100 as (mean − 1) ÷ 4 × 100,
  i.e. 25 × (Σ score − n) ÷ n. Every rating counts once (pooled, not averaged per survey first):
  the index is two integer sums in the database, exact to the fraction on SQLite and PostgreSQL,
  and it is the answer-weighted mean of the per-question means the distribution table shows.

Rates and indexes are `fractions.Fraction`, None when there is nothing to divide by ("—").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fractions import Fraction

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from casework.models import Customer
from satisfaction.choices import SCORE_MAX, SCORE_MIN, QuestionKind, SurveyState
from satisfaction.models import Survey, SurveyAnswer, SurveyCampaign

from .monthly import rate
from .periods import HalfYear, Month, Quarter

RESPONSE_TARGET = Fraction(85, 100)
# Everything but planned: the questionnaire went out (or the call was tried).
SENT_STATES = [SurveyState.SENT, SurveyState.REMINDED, SurveyState.ANSWERED, SurveyState.EXPIRED,
               SurveyState.UNREACHABLE]
SCORES = range(SCORE_MIN, SCORE_MAX + 1)
LOWEST_QUESTIONS = 5
BY = ("unit", "tier", "month")

NO_UNIT_LABEL = gettext_lazy("No unit rated")
TIER_LABELS = dict(Customer.Tier.choices)
TOTAL_LABEL = pgettext_lazy("satisfaction", "All surveys")


def index_of(score_sum: int, answers: int) -> Fraction | None:
    """(mean − 1) ÷ 4 × 100 of `answers` scores adding up to `score_sum`: 0 (all 1) to 100 (all 5)."""
    return Fraction(100 * (score_sum - SCORE_MIN * answers), (SCORE_MAX - SCORE_MIN) * answers) if answers else None


class Scored:
    """Mean and index of `answers` score answers adding up to `score_sum`."""

    answers: int
    score_sum: int

    @property
    def mean(self) -> Fraction | None:
        return rate(self.score_sum, self.answers)

    @property
    def index(self) -> Fraction | None:
        return index_of(self.score_sum, self.answers)


@dataclass
class IndexFigures(Scored):
    """Answered surveys and their score answers of one unit, tier, month or the total."""

    key: object
    label: str
    code: str = ""
    surveys: int = 0
    answers: int = 0
    score_sum: int = 0


def _answers(start: datetime, end: datetime) -> QuerySet:
    """Score answers of the surveys answered in [start, end)."""
    return SurveyAnswer.objects.filter(
        survey__state=SurveyState.ANSWERED, survey__answered_at__gte=start, survey__answered_at__lt=end,
        question__kind=QuestionKind.SCORE, score__isnull=False)


def _sums():
    return dict(n_answers=Count("pk"), n_sum=Sum("score"), n_surveys=Count("survey_id", distinct=True))


def satisfaction_index(*, start: datetime, end: datetime, by: str) -> list[IndexFigures]:
    """The index per unit rated (key: its id; by code), per customer tier, or per month (Asia/Shanghai) — one query."""
    if by not in BY:
        raise ValueError(f"by must be one of {BY}, not {by!r}")
    answers = _answers(start, end)
    if by == "unit":
        rows = (answers.values("survey__responsible_unit_id", "survey__responsible_unit__code",
                               "survey__responsible_unit__name").annotate(**_sums())
                .order_by("survey__responsible_unit__code"))
        figures = [IndexFigures(key=r["survey__responsible_unit_id"], code=r["survey__responsible_unit__code"] or "",
                                label=r["survey__responsible_unit__name"] or str(NO_UNIT_LABEL),
                                surveys=r["n_surveys"], answers=r["n_answers"], score_sum=r["n_sum"] or 0)
                   for r in rows]
        # The surveys rating no unit last.
        return sorted(figures, key=lambda f: (f.key is None, f.code))
    if by == "tier":
        rows = answers.values("survey__customer__tier").annotate(**_sums()).order_by("survey__customer__tier")
        order = list(TIER_LABELS)
        figures = [IndexFigures(key=r["survey__customer__tier"],
                                label=str(TIER_LABELS.get(r["survey__customer__tier"], r["survey__customer__tier"])),
                                surveys=r["n_surveys"], answers=r["n_answers"], score_sum=r["n_sum"] or 0)
                   for r in rows]
        return sorted(figures, key=lambda f: order.index(f.key) if f.key in order else len(order))
    rows = (answers.annotate(month=TruncMonth("survey__answered_at", tzinfo=timezone.get_current_timezone()))
            .values("month").annotate(**_sums()).order_by("month"))
    months = [Month.of(timezone.localtime(r["month"]).date() if isinstance(r["month"], datetime) else r["month"])
              for r in rows]
    return [IndexFigures(key=m, label=str(m), surveys=r["n_surveys"], answers=r["n_answers"],
                         score_sum=r["n_sum"] or 0) for m, r in zip(months, rows, strict=True)]


def total_of(rows: list[IndexFigures]) -> IndexFigures:
    """The total of a partition (the tiers: every survey has exactly one customer and tier)."""
    return IndexFigures(key=None, label=str(TOTAL_LABEL), surveys=sum(r.surveys for r in rows),
                        answers=sum(r.answers for r in rows), score_sum=sum(r.score_sum for r in rows))


# --- response rate ------------------------------------------------------------


@dataclass
class CampaignResponse:
    campaign_id: int
    name: str = ""
    period: str = ""
    planned: int = 0
    sent: int = 0
    awaiting: int = 0
    answered: int = 0
    expired: int = 0
    unreachable: int = 0
    target: Fraction = RESPONSE_TARGET

    @property
    def rate(self) -> Fraction | None:
        return rate(self.answered, self.sent)

    @property
    def meets_target(self) -> bool | None:
        """None while nothing has been sent."""
        return None if self.rate is None else self.rate >= self.target


def _response_counts(via: str = ""):
    """Conditional counts of surveys by state; `via` = "surveys__" counts a campaign's surveys."""
    def count(states):
        return Count(f"{via}pk", filter=Q(**{f"{via}state__in": states}))

    return dict(
        n_planned=count([SurveyState.PLANNED]),
        n_sent=count(SENT_STATES),
        n_awaiting=count([SurveyState.SENT, SurveyState.REMINDED]),
        n_answered=count([SurveyState.ANSWERED]),
        n_expired=count([SurveyState.EXPIRED]),
        n_unreachable=count([SurveyState.UNREACHABLE]),
    )


def _response_from(row, campaign_id, name="", period="") -> CampaignResponse:
    return CampaignResponse(
        campaign_id=campaign_id, name=name, period=period, planned=row["n_planned"], sent=row["n_sent"],
        awaiting=row["n_awaiting"], answered=row["n_answered"], expired=row["n_expired"],
        unreachable=row["n_unreachable"])


def _period_label(campaign) -> str:
    return f"{campaign.period_start:%Y-%m-%d} – {campaign.period_end:%Y-%m-%d}"


def campaign_response(*, campaign: SurveyCampaign) -> CampaignResponse:
    """The campaign's response rate against the 85 % target: one query."""
    row = Survey.objects.filter(campaign=campaign).aggregate(**_response_counts())
    return _response_from(row, campaign.pk, campaign.name, _period_label(campaign))


def campaign_responses(*, start: datetime, end: datetime) -> list[CampaignResponse]:
    """Every campaign whose period overlaps [start, end), with its response rate: one query."""
    first, last = timezone.localtime(start).date(), timezone.localtime(end).date() - timedelta(days=1)
    campaigns = (SurveyCampaign.objects.filter(period_start__lte=last, period_end__gte=first)
                 .annotate(**_response_counts("surveys__"))
                 .order_by("period_start", "name", "pk"))
    return [_response_from({k: getattr(c, k) for k in _response_counts()}, c.pk, c.name, _period_label(c))
            for c in campaigns]


def campaign_index(*, campaign: SurveyCampaign) -> IndexFigures:
    """The index of the campaign's answered surveys, whenever answered: one query."""
    row = SurveyAnswer.objects.filter(
        survey__campaign=campaign, survey__state=SurveyState.ANSWERED, question__kind=QuestionKind.SCORE,
        score__isnull=False).aggregate(**_sums())
    return IndexFigures(key=campaign.pk, label=campaign.name, surveys=row["n_surveys"], answers=row["n_answers"],
                        score_sum=row["n_sum"] or 0)


# --- the distribution per question -----------------------------------------------


@dataclass
class QuestionFigures(Scored):
    """One score question of a questionnaire version: how many gave each score 1–5."""

    question_id: int
    template: str
    version: int
    position: int
    text_zh: str
    text_en: str
    counts: dict[int, int] = field(default_factory=dict)

    @property
    def text(self) -> str:
        from django.utils.translation import get_language

        return self.text_en if (get_language() or "").startswith("en") else self.text_zh

    @property  # type: ignore[override]
    def answers(self) -> int:
        return sum(self.counts.values())

    @property  # type: ignore[override]
    def score_sum(self) -> int:
        return sum(score * n for score, n in self.counts.items())

    @property
    def distribution(self) -> list[tuple[int, int, Fraction | None]]:
        """(score, answers, share of the question's answers) for 1–5."""
        return [(s, self.counts.get(s, 0), rate(self.counts.get(s, 0), self.answers)) for s in SCORES]


def score_distribution(*, start: datetime, end: datetime) -> list[QuestionFigures]:
    """Per score question of every questionnaire version answered in [start, end): one query."""
    rows = (_answers(start, end)
            .values("question_id", "question__version__template__name", "question__version__number",
                    "question__position", "question__text_zh", "question__text_en")
            .annotate(**{f"s{s}": Count("pk", filter=Q(score=s)) for s in SCORES})
            .order_by("question__version__template__name", "question__version__number", "question__position"))
    return [QuestionFigures(question_id=r["question_id"], template=r["question__version__template__name"],
                            version=r["question__version__number"], position=r["question__position"],
                            text_zh=r["question__text_zh"], text_en=r["question__text_en"],
                            counts={s: r[f"s{s}"] for s in SCORES}) for r in rows]


def lowest(questions: list[QuestionFigures], count: int = LOWEST_QUESTIONS) -> list[QuestionFigures]:
    """The questions with the lowest mean score (ties: the more answers first, then the order asked)."""
    rated = [q for q in questions if q.answers]
    return sorted(rated, key=lambda q: (q.mean, -q.answers, q.template, q.version, q.position))[:count]


# --- the reports --------------------------------------------------------------


@dataclass
class SatisfactionReport:
    """The quarterly satisfaction report (seed 002 第十四条 季度客户满意度管理工作报告): five queries."""

    period: Quarter | HalfYear
    by_unit: list[IndexFigures]
    by_tier: list[IndexFigures]
    by_month: list[IndexFigures]
    campaigns: list[CampaignResponse]
    questions: list[QuestionFigures]

    @property
    def total(self) -> IndexFigures:
        return total_of(self.by_tier)

    @property
    def lowest_questions(self) -> list[QuestionFigures]:
        return lowest(self.questions)

    @property
    def campaign_total(self) -> CampaignResponse:
        total = CampaignResponse(campaign_id=0, name=_("All campaigns"))
        for c in self.campaigns:
            for name in ("planned", "sent", "awaiting", "answered", "expired", "unreachable"):
                setattr(total, name, getattr(total, name) + getattr(c, name))
        return total


def satisfaction_report(*, period: Quarter | HalfYear) -> SatisfactionReport:
    start, end = period.start, period.end
    return SatisfactionReport(
        period=period,
        by_unit=satisfaction_index(start=start, end=end, by="unit"),
        by_tier=satisfaction_index(start=start, end=end, by="tier"),
        by_month=satisfaction_index(start=start, end=end, by="month"),
        campaigns=campaign_responses(start=start, end=end),
        questions=score_distribution(start=start, end=end),
    )


@dataclass
class Comparison:
    """One unit's or tier's index this half-year against the previous one."""

    key: object
    label: str
    current: IndexFigures | None
    previous: IndexFigures | None

    @property
    def change(self) -> Fraction | None:
        """Index points gained (negative: lost); None unless both half-years have answers."""
        now = self.current.index if self.current else None
        before = self.previous.index if self.previous else None
        return None if now is None or before is None else now - before


def compare(current: list[IndexFigures], previous: list[IndexFigures]) -> list[Comparison]:
    before = {r.key: r for r in previous}
    now = {r.key: r for r in current}
    keys = [r.key for r in current] + [r.key for r in previous if r.key not in now]
    return [Comparison(key=k, label=(now.get(k) or before[k]).label, current=now.get(k), previous=before.get(k))
            for k in keys]


@dataclass
class HalfYearAnalysis:
    """The half-year survey analysis (seed 002 第十三条 "市场部每半年形成客户满意度调查分析报告"):
    the report of the half-year and the same of the previous one, compared — ten queries."""

    current: SatisfactionReport
    previous: SatisfactionReport

    @property
    def period(self) -> HalfYear:
        return self.current.period  # type: ignore[return-value]

    @property
    def total(self) -> Comparison:
        return Comparison(key=None, label=str(TOTAL_LABEL), current=self.current.total, previous=self.previous.total)

    @property
    def by_unit(self) -> list[Comparison]:
        return compare(self.current.by_unit, self.previous.by_unit)

    @property
    def by_tier(self) -> list[Comparison]:
        return compare(self.current.by_tier, self.previous.by_tier)

    @property
    def response_change(self) -> Fraction | None:
        now, before = self.current.campaign_total.rate, self.previous.campaign_total.rate
        return None if now is None or before is None else now - before


def previous_half(half: HalfYear) -> HalfYear:
    return HalfYear(half.year, 1) if half.half == 2 else HalfYear(half.year - 1, 2)


def half_year_analysis(*, half: HalfYear) -> HalfYearAnalysis:
    return HalfYearAnalysis(current=satisfaction_report(period=half),
                            previous=satisfaction_report(period=previous_half(half)))
