"""The planning pages (seed 002 第十一条, 第十二条): campaigns — plan, review the proposed list, take a
customer off it, approve — and a questionnaire's next version. Each view parses, calls one function
of satisfaction.planning or satisfaction.templates_service, and renders; who may is
satisfaction.campaign_policy's."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.models import Customer

from . import campaign_policy, planning, templates_service
from .choices import CampaignStatus, SurveyState
from .planning_forms import CampaignPlanForm, DropCustomerForm, QuestionRowFormSet, question_specs
from .surveys import SurveyCampaign, SurveyTemplate

PLANNING_PAGE_SIZE = 100


def allowed(check: Callable[[Any], bool]) -> Callable[..., Any]:
    """Logged in (else the login page) and allowed by the policy (else 403)."""
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)
        return wrapped
    return decorator


def _field_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


@allowed(campaign_policy.can_plan_campaigns)
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = SurveyCampaign.objects.select_related("template_version__template").annotate(
        survey_count=Count("surveys"), answered=Count("surveys", filter=Q(surveys__state=SurveyState.ANSWERED)))
    templates = SurveyTemplate.objects.annotate(latest=Max("versions__number"))
    return render(request, "satisfaction/planning/list.html", {
        "campaigns": campaigns, "templates": templates,
        "can_edit_questionnaires": campaign_policy.can_edit_questionnaires(request.user)})


@allowed(campaign_policy.can_plan_campaigns)
def campaign_plan(request: HttpRequest) -> HttpResponse:
    form = CampaignPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = data["template"].latest_version()
        try:
            campaign = planning.campaign_plan(
                audience=data["audience"], period_start=data["period_start"], period_end=data["period_end"],
                template_version=version, contact_method=data["contact_method"], actor=request.user,
                name=data["name"])
        except ValidationError as error:
            _field_errors(form, error)
        else:
            messages.success(request, _("Campaign proposed with %(count)d customers: review the list, then approve.")
                             % {"count": campaign.surveys.count()})
            return redirect("survey_planning:detail", pk=campaign.pk)
    return render(request, "satisfaction/planning/plan.html", {"form": form}, status=400 if form.errors else 200)


@allowed(campaign_policy.can_plan_campaigns)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(SurveyCampaign.objects.select_related(
        "template_version__template", "planned_by", "approved_by"), pk=pk)
    # An ordinary customers' campaign can list thousands: a page at a time.
    page = Paginator(campaign.surveys.select_related("customer").order_by("customer__name", "pk"),
                     PLANNING_PAGE_SIZE).get_page(request.GET.get("page"))
    surveys = list(page.object_list)
    last = dict(Customer.objects.filter(pk__in=[s.customer_id for s in surveys])
                .annotate(last=Max("surveys__answered_at")).values_list("pk", "last"))
    for survey in surveys:
        survey.last_answered_at = last.get(survey.customer_id)  # type: ignore[attr-defined]
    return render(request, "satisfaction/planning/detail.html", {
        "campaign": campaign, "surveys": surveys, "page": page, "total": page.paginator.count,
        "proposed": campaign.status == CampaignStatus.PROPOSED,
        "can_approve": campaign_policy.can_approve_campaigns(request.user)})


@require_POST
@allowed(campaign_policy.can_plan_campaigns)
def campaign_drop(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(SurveyCampaign, pk=pk)
    form = DropCustomerForm(request.POST)
    customer = Customer.objects.filter(pk=form.cleaned_data["customer"]).first() if form.is_valid() else None
    try:
        if customer is None:
            raise ValidationError(_("This customer is not on the campaign's list."))
        planning.campaign_drop_customer(campaign=campaign, customer=customer, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(customer)s taken off the list.") % {"customer": customer})
    return redirect("survey_planning:detail", pk=pk)


@require_POST
@allowed(campaign_policy.can_approve_campaigns)
def campaign_approve(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(SurveyCampaign, pk=pk)
    try:
        planning.campaign_approve(campaign=campaign, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Campaign approved: its surveys may be sent."))
    return redirect("survey_planning:detail", pk=pk)


@allowed(campaign_policy.can_edit_questionnaires)
def template_revise(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(SurveyTemplate, pk=pk)
    latest = template.latest_version()
    initial = [{**q, "choices_zh": "\n".join(q.get("choices_zh", [])), "choices_en": "\n".join(q.get("choices_en", []))}
               for q in (templates_service.version_questions(latest) if latest else [])]
    formset = QuestionRowFormSet(request.POST or None, initial=None if request.POST else initial)
    errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        try:
            version = templates_service.template_revise(template=template, questions=question_specs(formset),
                                                        actor=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Version %(number)d of %(template)s saved.")
                             % {"number": version.number, "template": template})
            return redirect("survey_planning:list")
    invalid = bool(errors) or (request.method == "POST" and not formset.is_valid())
    return render(request, "satisfaction/planning/revise.html", {
        "template": template, "latest": latest, "formset": formset, "errors": errors,
        "versions": template.versions.prefetch_related("questions").order_by("-number")},
        status=400 if invalid else 200)
