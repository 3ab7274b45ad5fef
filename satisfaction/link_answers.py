"""The customer answers a survey through its one-time link (seed 002 第十二条, seed 004 5.5.1: the
customer's opinions recorded on the satisfaction questionnaire).

No one is logged in: the link is the permission (`Survey.answer_by_link` has none). So this
function, not a policy, decides that a link works, and it must work exactly once even when the
same form is posted twice at the same moment (a double click, two tabs, a replayed request)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F

from casework.models import CaseEvent
from casework.services import case_event_record
from sla import services as sla

from .answers import SurveyAnswersForm, survey_answers_form, survey_answers_store
from .choices import AWAITING_ANSWER
from .links import LinkRefused, survey_from_link
from .surveys import Survey

# A real token is about 110 characters; anything much longer is not one, and is not worth verifying.
TOKEN_MAX_CHARS = 500
# The SLA clock a sent survey runs until the customer answers (started when the survey is sent).
RESPONSE_CLOCK = "survey_response"


class SurveyAnswersInvalid(Exception):
    """The answers break a rule (a required one missing, a score out of range, a text too long):
    nothing was written; `form` carries the field messages and the survey's questions."""

    def __init__(self, *, survey: Survey, form: SurveyAnswersForm) -> None:
        super().__init__("invalid survey answers")
        self.survey = survey
        self.form = form


def survey_for_link(*, token: str, now: datetime) -> Survey:
    """The survey a link opens for answering, or LinkRefused — the same answer for a guessed,
    tampered, over-long or another survey's token, so the page never says whether a survey exists."""
    if len(token) > TOKEN_MAX_CHARS:
        raise LinkRefused("invalid")
    return survey_from_link(token=token, now=now)


def survey_answer_by_link(*, token: str, data: Mapping[str, Any], now: datetime) -> Survey:
    """Store the customer's answers, close the survey as answered and stop its response clock.

    Raises LinkRefused (invalid, used or expired) or SurveyAnswersInvalid; nothing is written then."""
    survey = survey_for_link(token=token, now=now)
    form = survey_answers_form(survey, data)
    if not form.is_valid():
        raise SurveyAnswersInvalid(survey=survey, form=form)
    with transaction.atomic():
        # The claim: a conditional update on everything that makes the link work. On PostgreSQL it
        # takes the row lock, so a second request for the same link waits, finds the link used once
        # the first commits, and updates nothing; SQLite runs one writer at a time anyway.
        claimed = Survey.objects.filter(
            pk=survey.pk, link_digest=survey.link_digest, link_used_at__isnull=True, state__in=AWAITING_ANSWER,
            link_expires_at__gt=now,
        ).update(version=F("version") + 1)
        if not claimed:
            # Read again to give the precise reason (used by the other request, or expired meanwhile).
            survey_from_link(token=token, now=now)
            raise LinkRefused("used")
        fresh = Survey.objects.get(pk=survey.pk)
        from_state = fresh.state
        fresh.answer_by_link(at=now)
        fresh.save()
        survey_answers_store(survey=fresh, form=form)
        # No actor: the customer has no account. The note stays empty: the answers are on the
        # survey, and a timeline is no place to copy a customer's free text into.
        case_event_record(case=fresh, kind=CaseEvent.Kind.TRANSITION, action="answer_by_link",
                          from_state=from_state, to_state=fresh.state)
        sla.milestones_meet(case=fresh, kinds=[RESPONSE_CLOCK], at=now)
        # Answered is final: every other running clock of the survey ends, as for any closed case.
        sla.milestones_close(case=fresh, at=now)
    return fresh
