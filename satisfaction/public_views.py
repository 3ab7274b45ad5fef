"""The customer's one-time link page: the questionnaire, the answers' POST, the thank-you page and
the refusals. No login and no staff header; nothing on these pages names a person, a unit or
another survey. The token is checked by `satisfaction.link_answers`, never here."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from .answers import survey_answers_form
from .choices import QuestionKind
from .link_answers import SurveyAnswersInvalid, survey_answer_by_link, survey_for_link
from .links import LinkRefused

# Not found for a link that opens nothing; gone for one that did and no longer does.
REFUSAL_STATUS = {"invalid": 404, "used": 410, "expired": 410}


# never_cache: the page is one customer's, reached by a secret URL; no shared cache may keep it.
@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def survey_link_page(request: HttpRequest, token: str) -> HttpResponse:
    now = timezone.now()
    try:
        if request.method == "POST":
            survey_answer_by_link(token=token, data=request.POST, now=now)
            return redirect("survey_link:thanks")
        survey = survey_for_link(token=token, now=now)
        form = survey_answers_form(survey)
    except LinkRefused as refused:
        return render(request, "satisfaction/link/refused.html", {"reason": refused.reason},
                      status=REFUSAL_STATUS[refused.reason])
    except SurveyAnswersInvalid as invalid:
        survey, form = invalid.survey, invalid.form
    fields = [(question, form[f"q{question.position}"]) for question in form.questions]
    return render(request, "satisfaction/link/answer.html",
                  {"survey": survey, "form": form, "fields": fields, "SCORE": QuestionKind.SCORE,
                   "TEXT": QuestionKind.TEXT},
                  status=400 if form.errors else 200)


@require_GET
def survey_link_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "satisfaction/link/thanks.html")
