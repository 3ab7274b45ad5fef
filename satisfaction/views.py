"""Survey pages for staff: the shared case pages (workflow.pages) — the queue, a survey's page, its
actions, comments and files — described by PAGES; the campaigns' list and a campaign's page."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from casework.decorators import role_required
from casework.pagination import CappedPaginator
from workflow.pages import ANY_ROLE, CasePages

from . import selectors
from .forms import QueueFilterForm
from .policy import may_see_customer_contact
from .surveys import Survey, SurveyCampaign
from .workflow import WORKFLOW


def _survey_context(request, survey: Survey) -> dict:
    return {"answers": selectors.survey_answers(survey=survey),
            "customer_messages": selectors.survey_messages(survey=survey),
            "show_contact": may_see_customer_contact(request.user)}


PAGES = CasePages(
    model=Survey, workflow=WORKFLOW, filter_form=QueueFilterForm,
    get_visible=selectors.survey_get_visible, list_cases=selectors.survey_list,
    not_found=_("No such survey."), detail_context=_survey_context, detail_name="survey",
)


@role_required(*ANY_ROLE)
def campaigns(request):
    page = CappedPaginator(selectors.campaign_list(), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "satisfaction/campaigns.html", {"page": page, "query": ""})


@role_required(*ANY_ROLE)
def campaign(request, pk: int):
    """A campaign and its surveys (those this person may see), each with its state and answers."""
    try:
        found = selectors.campaign_get(pk=pk)
    except SurveyCampaign.DoesNotExist:
        raise Http404(_("No such campaign.")) from None
    questions = selectors.campaign_questions(campaign=found)
    surveys = selectors.campaign_surveys(user=request.user, campaign=found)
    page = CappedPaginator(surveys, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for survey in page.object_list:
        given = {answer.question_id: answer for answer in survey.answers.all()}
        rows.append((survey, [given.get(question.pk) for question in questions]))
    return render(request, "satisfaction/campaign.html",
                  {"campaign": found, "questions": questions, "rows": rows, "page": page, "query": ""})
