"""Complaint pages. Each view parses the request, calls one service or selector, renders."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.case_views import case_attachment_file, case_attachment_submit, case_comment_submit
from casework.decorators import role_required
from casework.errors import CaseConflict, CaseError
from casework.forms import AttachmentForm, CommentForm
from casework.pagination import CappedPaginator
from casework.roles import Role, is_service_desk
from casework.services import case_attachments, case_timeline, customer_find_or_create
from proposals.selectors import proposal_overdue_queue
from sla.selectors import attach_next_deadlines
from sla.services import case_milestones
from workflow.selectors import case_rows
from workflow.views import case_action_submit

from . import selectors, services
from .forms import DetailsForm, IntakeForm, QueueFilterForm
from .models import Complaint
from .workflow import WORKFLOW

ANY_ROLE = (Role.AGENT, Role.HANDLER, Role.MANAGER)
DESK = (Role.AGENT, Role.MANAGER)
OVERDUE_PROPOSALS_SHOWN = 50


def _get_complaint(request, number) -> Complaint:
    try:
        return selectors.complaint_get_visible(user=request.user, number=number)
    except Complaint.DoesNotExist:
        raise Http404(_("No such complaint.")) from None


@role_required(*ANY_ROLE)
def queue(request):
    params = request.GET.copy()
    params.setdefault("state", QueueFilterForm.OPEN)  # open cases unless a state (or "all") is chosen
    form = QueueFilterForm(params)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "state": "" if data["state"] == form.OPEN else data["state"],
            "open_only": data["state"] == form.OPEN,
            "unit": data["unit"],
            "category": data["category"],
            "priority": data["priority"],
            "search": data["q"].strip(),
            "mine": data["mine"],
        }
    complaints = selectors.complaint_list(user=request.user, **filters)
    page = CappedPaginator(case_rows(complaints), settings.PAGE_SIZE,
                           count_queryset=complaints).get_page(request.GET.get("page"))
    page.object_list = attach_next_deadlines(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "complaints/queue.html",
                  {"form": form, "page": page, "query": query.urlencode(), "title": _("Complaints")})


@role_required(*DESK)
def intake(request):
    form = IntakeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            # One transaction: a refused registration leaves no new customer behind.
            with transaction.atomic():
                customer = customer_find_or_create(**form.customer_details())
                complaint = services.complaint_register(
                    actor=request.user, customer=customer,
                    **{f: d[f] for f in ("kind", "channel", "received_at", "category", "subject", "description",
                                         "customer_demand", "target", "priority", "complainant_class",
                                         "estimated_loss", "is_major")})
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Complaint %(number)s registered.") % {"number": complaint.number})
            return redirect("complaints:detail", number=complaint.number)
    status = 400 if form.errors else 200
    return render(request, "complaints/intake.html", {"form": form}, status=status)


def _detail_context(request, complaint, **overrides):
    actions = WORKFLOW.available(case=complaint, user=request.user)
    forms = {a.name: a.form_class(initial={"version": complaint.version}, prefix=a.name) for a in actions}
    forms.update(overrides.pop("forms", {}))
    context = {
        "complaint": complaint,
        "actions": [(a, forms[a.name]) for a in actions],
        "timeline": case_timeline(case=complaint),
        "attachments": case_attachments(case=complaint),
        "callbacks": complaint.callbacks.select_related("called_by"),
        "milestones": case_milestones(case=complaint),
        "comment_form": CommentForm(),
        "attachment_form": AttachmentForm(),
        "can_edit_details": complaint.is_open and is_service_desk(request.user),
    }
    context.update(overrides)
    return context


def _detail_renderer(request, complaint, refetch=None):
    """Renders the detail page again with a form's errors; `fresh=True` re-reads a case someone else changed."""
    def render_detail(status, fresh=False, **overrides):
        case = refetch() if fresh and refetch else complaint
        return render(request, "complaints/detail.html", _detail_context(request, case, **overrides), status=status)

    return render_detail


@role_required(*ANY_ROLE)
def detail(request, number):
    complaint = _get_complaint(request, number)
    return render(request, "complaints/detail.html", _detail_context(request, complaint))


@require_POST
@role_required(*ANY_ROLE)
def act(request, number, action):
    complaint = _get_complaint(request, number)
    return case_action_submit(
        request, case=complaint, action=action, workflow=WORKFLOW,
        render_detail=_detail_renderer(request, complaint, refetch=lambda: _get_complaint(request, number)),
        success_url=reverse("complaints:detail", args=[number]))


@role_required(*DESK)
def edit_details(request, number):
    complaint = _get_complaint(request, number)
    form = DetailsForm(request.POST if request.method == "POST" else None, instance=complaint,
                       initial={"version": complaint.version})
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in services.EDITABLE_DETAILS}
        try:
            complaint = services.complaint_update_details(
                complaint=complaint, actor=request.user, changes=changes,
                expected_version=form.cleaned_data["version"])
        except CaseConflict as error:
            messages.error(request, str(error))
            return redirect("complaints:detail", number=number)
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Details saved."))
            return redirect("complaints:detail", number=number)
    return render(request, "complaints/edit.html", {"form": form, "complaint": complaint},
                  status=400 if form.errors else 200)


@require_POST
@role_required(*ANY_ROLE)
def comment(request, number):
    complaint = _get_complaint(request, number)
    return case_comment_submit(
        request, render_detail=_detail_renderer(request, complaint),
        success_url=reverse("complaints:detail", args=[number]),
        comment=lambda text: services.complaint_comment(complaint=complaint, actor=request.user, text=text))


@require_POST
@role_required(*ANY_ROLE)
def upload(request, number):
    complaint = _get_complaint(request, number)
    return case_attachment_submit(
        request, case=complaint, success_url=reverse("complaints:detail", args=[number]),
        render_detail=_detail_renderer(request, complaint))


@role_required(Role.MANAGER)
def approvals(request):
    page = Paginator(selectors.complaint_approval_queue(user=request.user), settings.PAGE_SIZE).get_page(
        request.GET.get("page"))
    page.object_list = attach_next_deadlines(page.object_list)
    return render(request, "complaints/approvals.html", {"page": page, "title": _("Approval queue")})


@role_required(*ANY_ROLE)
def attachment(request, number, pk):
    return case_attachment_file(case=_get_complaint(request, number), pk=pk)


@role_required(Role.MANAGER)
def overdue(request):
    page = Paginator(selectors.complaint_overdue_queue(user=request.user), settings.PAGE_SIZE).get_page(
        request.GET.get("page"))
    # Proposals wait on the same desk: the most urgent few under the complaints.
    proposals = list(proposal_overdue_queue(user=request.user)[:OVERDUE_PROPOSALS_SHOWN + 1])
    return render(request, "complaints/overdue.html", {
        "page": page, "title": _("Overdue and due soon"), "proposals": proposals[:OVERDUE_PROPOSALS_SHOWN],
        "proposals_more": len(proposals) > OVERDUE_PROPOSALS_SHOWN})
