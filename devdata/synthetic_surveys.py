"""Synthetic satisfaction surveys for scale tests (`generate_cases --surveys N`): a questionnaire
(made once), a campaign per half-year and audience, and N surveys in every state — most answered,
with a score 1–5 per score question skewed towards 4 and 5 and by the unit rated — spread over
units and customer tiers, written with COPY in flat-memory chunks (no model instance per row)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from casework.bulk import TableSink, next_id, reset_sequences
from casework.models import CaseNumberSequence, Customer
from satisfaction.choices import Audience, CampaignStatus, SurveyState
from satisfaction.models import (
    Survey,
    SurveyAnswer,
    SurveyCampaign,
    SurveyQuestion,
    SurveyTemplate,
    SurveyTemplateVersion,
)

from .synthetic import synthetic_customers, synthetic_people, weighted

TEMPLATE_NAME = "合成客户满意度问卷"
QUESTIONS = [  # (kind, Chinese, English)
    ("score", "您对服务的总体满意程度？", "Overall, how satisfied are you with our service?"),
    ("score", "受理人员的服务态度", "The staff's manner"),
    ("score", "问题处理的及时性", "How quickly problems were handled"),
    ("score", "处理结果的满意程度", "The outcome"),
    ("score", "报价与收费的透明度", "Clarity of quotes and charges"),
    ("choice", "您会向朋友推荐我们吗？", "Would you recommend us to a friend?"),
    ("text", "其他意见和建议", "Other comments"),
]
# A realistic skew: most customers give 4 or 5; the weights for 1–5 before the unit's own shift.
SCORE_WEIGHTS = [3, 5, 14, 42, 36]
# Of a survey sent long enough ago: answered, expired, unreachable (seed 004 aims at ≥ 85 % answered).
ENDINGS = [("answered", 84), ("expired", 10), ("unreachable", 6)]
CONTACT = {Audience.KEY: "visit", Audience.ORDINARY: "email"}


@dataclass
class SurveyCounts:
    surveys: int = 0
    answers: int = 0
    campaigns: int = 0
    by_state: dict = field(default_factory=dict)


def _questionnaire() -> tuple[int, list[tuple[int, str]]]:
    """The synthetic questionnaire's version 1 (made if missing): its id and (question id, kind)."""
    template, _ = SurveyTemplate.objects.get_or_create(name=TEMPLATE_NAME)
    version, made = SurveyTemplateVersion.objects.get_or_create(template=template, number=1)
    if made:
        for position, (kind, zh, en) in enumerate(QUESTIONS, start=1):
            SurveyQuestion.objects.create(
                version=version, position=position, kind=kind, text_zh=zh, text_en=en, required=kind != "text",
                choices_zh=["会", "不会"] if kind == "choice" else [],
                choices_en=["Yes", "No"] if kind == "choice" else [])
    return version.pk, list(version.questions.order_by("position").values_list("pk", "kind"))


def _half_years(first: date, last: date) -> list[tuple[date, date]]:
    halves, year, half = [], first.year, 1 if first.month <= 6 else 2
    while date(year, 1 if half == 1 else 7, 1) <= last:
        start = date(year, 1 if half == 1 else 7, 1)
        end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
        halves.append((start, end))
        year, half = (year, 2) if half == 1 else (year + 1, 1)
    return halves


def generate_surveys(*, surveys: int, months: int, seed: int, log=print) -> SurveyCounts:
    rng = random.Random(seed * 7919 + 11)
    now = timezone.now()
    start = now - timedelta(days=30.44 * months)
    counts = SurveyCounts()
    agents, units = synthetic_people(rng, unit_count=40)
    # Each unit's service is a little better or worse: the index differs between units.
    shift = {unit_id: rng.uniform(-1.0, 0.8) for unit_id, _ in units}
    with transaction.atomic():
        version_id, questions = _questionnaire()
        key = list(Customer.objects.filter(tier="key").values_list("pk", flat=True))
        others = list(Customer.objects.exclude(tier="key").values_list("pk", flat=True))
        if len(key) < 10 or len(others) < 10:
            first = synthetic_customers(rng, count=max(100, surveys // 4), created_at=start)
            key = list(Customer.objects.filter(tier="key", pk__gte=first).values_list("pk", flat=True)) + key
            others = list(Customer.objects.filter(pk__gte=first).exclude(tier="key").values_list("pk", flat=True)) \
                + others
        tz = timezone.get_current_timezone()
        campaigns = []  # (id, audience, first sending, last sending, answer within days)
        for period_start, period_end in _half_years(timezone.localtime(start).date(), timezone.localtime(now).date()):
            for audience in (Audience.KEY, Audience.ORDINARY):
                campaign, _ = SurveyCampaign.objects.get_or_create(
                    name=f"{period_start:%Y}年{'上' if period_start.month == 1 else '下'}半年"
                         f"{'重点' if audience == Audience.KEY else '普通'}客户满意度调查（合成）",
                    audience=audience, period_start=period_start, period_end=period_end,
                    template_version_id=version_id, contact_method=CONTACT[audience],
                    defaults={"answer_within_days": 14, "status": CampaignStatus.APPROVED, "approved_at": now})
                campaigns.append((campaign.pk, audience, max(start, _aware(period_start, tz)),
                                  min(now, _aware(period_end + timedelta(days=1), tz)), 14))
        counts.campaigns = len(campaigns)
        sequences = {(s.prefix, s.period): s.last_value for s in CaseNumberSequence.objects.filter(prefix="MY")}
        survey_sink = TableSink(Survey, [
            "id", "number", "campaign_id", "customer_id", "responsible_unit_id", "complaint_id", "template_version_id",
            "contact_method", "state", "version", "first_responder_id", "created_at", "sent_at", "due_at",
            "reminded_at", "answered_at", "closed_at", "link_digest", "link_expires_at", "link_used_at",
            "escalation_level"])
        answer_sink = TableSink(SurveyAnswer, ["survey_id", "question_id", "score", "choice", "text"])
        first_id = next_id(Survey)
        for offset in range(surveys):
            campaign_id, audience, first_send, last_send, within = campaigns[
                rng.choices(range(len(campaigns)), [1 if c[1] == Audience.KEY else 3 for c in campaigns])[0]]
            sent_at = first_send + timedelta(seconds=rng.random() * max(1.0, (last_send - first_send).total_seconds()))
            created_at = sent_at - timedelta(hours=rng.uniform(1, 72))
            due_at = sent_at + timedelta(days=within)
            unit_id = rng.choice(units)[0] if rng.random() < 0.92 else None
            customer = rng.choice(key if audience == Audience.KEY and key else others)
            state, reminded_at, answered_at, closed_at, link_used_at = _fate(rng, sent_at, due_at, now)
            pk = first_id + offset
            period = created_at.astimezone(tz).strftime("%Y%m")
            seq = sequences[("MY", period)] = sequences.get(("MY", period), 0) + 1
            contact = CONTACT[audience]
            survey_sink.add(
                pk, f"MY{period}-{seq:06d}", campaign_id, customer, unit_id, None, version_id, contact, state,
                1 + (state != SurveyState.PLANNED) + (reminded_at is not None) + (closed_at is not None),
                rng.choice(agents), created_at, sent_at if state != SurveyState.PLANNED else None,
                due_at if state != SurveyState.PLANNED else None, reminded_at, answered_at, closed_at, "", None,
                link_used_at if contact == "email" else None, 0)
            counts.by_state[state] = counts.by_state.get(state, 0) + 1
            if state == SurveyState.ANSWERED:
                weights = _weights(shift.get(unit_id, 0.0))
                for question_id, kind in questions:
                    if kind == "score":
                        answer_sink.add(pk, question_id, rng.choices((1, 2, 3, 4, 5), weights)[0], "", "")
                    elif kind == "choice":
                        answer_sink.add(pk, question_id, None, "会" if rng.random() < 0.8 else "不会", "")
                    elif rng.random() < 0.15:
                        answer_sink.add(pk, question_id, None, "", "希望服务更及时。")
            if offset % 100_000 == 99_999:
                log(f"surveys: {offset + 1}")
        survey_sink.flush()
        answer_sink.flush()
        for (prefix, period), last in sequences.items():
            CaseNumberSequence.objects.update_or_create(prefix=prefix, period=period, defaults={"last_value": last})
        reset_sequences(Survey, SurveyAnswer)
    counts.surveys, counts.answers = survey_sink.written, answer_sink.written
    if connection.vendor == "postgresql" and connection.get_autocommit():
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE satisfaction_survey")
            cursor.execute("VACUUM ANALYZE satisfaction_surveyanswer")
    return counts


def _aware(day: date, tz):
    from datetime import datetime

    return datetime(day.year, day.month, day.day, tzinfo=tz)


def _weights(shift: float) -> list[float]:
    """SCORE_WEIGHTS moved up (shift > 0) or down: a better unit's customers give more 5s."""
    return [max(0.5, w * (1 + shift * (score - 3) / 2)) for score, w in enumerate(SCORE_WEIGHTS, start=1)]


def _fate(rng, sent_at, due_at, now):
    """(state, reminded at, answered at, closed at, link used at) of a survey sent at `sent_at`."""
    if sent_at > now - timedelta(hours=2) and rng.random() < 0.5:
        return SurveyState.PLANNED, None, None, None, None
    ending = weighted(rng, ENDINGS)
    reminded = sent_at + timedelta(days=7) if rng.random() < 0.4 else None
    if ending == "answered":
        answered = sent_at + timedelta(hours=rng.uniform(2, (due_at - sent_at).total_seconds() / 3600 - 1))
        if answered < now:
            reminded = reminded if reminded and reminded < answered else None
            return SurveyState.ANSWERED, reminded, answered, answered, answered if rng.random() < 0.7 else None
    elif due_at < now:
        if ending == "expired":
            return SurveyState.EXPIRED, reminded, None, due_at, None
        closed = sent_at + timedelta(days=rng.uniform(1, 10))
        return SurveyState.UNREACHABLE, reminded if reminded and reminded < closed else None, None, closed, None
    # Still waiting for the answer.
    if reminded and reminded < now:
        return SurveyState.REMINDED, reminded, None, None, None
    return SurveyState.SENT, None, None, None, None
