"""Reading surveys and campaigns for the pages, already filtered by the one visibility rule
(workflow.policy.visible_cases: the desk every survey, a handler those rating their units)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Prefetch, QuerySet

from casework.models import ResponsibleUnit, open_condition
from workflow.policy import visible_cases
from workflow.selectors import case_get_visible, case_list

from .choices import FINAL_STATES
from .outbox import CustomerMessage
from .surveys import Survey, SurveyAnswer, SurveyCampaign, SurveyQuestion

OPEN = open_condition(FINAL_STATES)  # the predicate of the partial index


def survey_list(*, user: User, state: str = "", open_only: bool = False, unit: ResponsibleUnit | None = None,
                campaign: SurveyCampaign | None = None, search: str = "") -> QuerySet[Survey]:
    return case_list(Survey.objects.select_related("campaign"), user=user, open_cases=OPEN, state=state,
                     open_only=open_only, unit=unit, search=search, search_in=("number", "customer__name"),
                     newest="created_at", campaign=campaign)


def survey_get_visible(*, user: User, number: str) -> Survey:
    """The survey, or Survey.DoesNotExist when it does not exist or is not this user's to see."""
    return case_get_visible(Survey.objects.all(), user=user, number=number,
                            related=("campaign", "template_version__template", "first_responder", "complaint"))


def survey_answers(*, survey: Survey) -> list[SurveyAnswer]:
    return list(survey.answers.select_related("question").order_by("question__position"))


def survey_messages(*, survey: Survey) -> list[CustomerMessage]:
    return list(survey.messages.order_by("created_at", "pk"))


def campaign_list() -> QuerySet[SurveyCampaign]:
    return SurveyCampaign.objects.select_related("template_version__template").order_by("-period_start", "-pk")


def campaign_get(*, pk: int) -> SurveyCampaign:
    return campaign_list().get(pk=pk)


def campaign_questions(*, campaign: SurveyCampaign) -> list[SurveyQuestion]:
    return list(campaign.template_version.questions.order_by("position"))


def campaign_surveys(*, user: Any, campaign: SurveyCampaign) -> QuerySet[Survey]:
    """The campaign's surveys this user may see, with their customer, unit and answers (one query each)."""
    answers = Prefetch("answers", queryset=SurveyAnswer.objects.select_related("question"))
    return (visible_cases(user, campaign.surveys.all()).select_related("customer", "responsible_unit")
            .prefetch_related(answers).order_by("number"))
