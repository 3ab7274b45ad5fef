"""Proposal pages. Each view parses the request, calls one service or selector, renders."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.case_views import case_attachment_file, case_attachment_submit, case_comment_submit
from casework.decorators import role_required
from casework.forms import AttachmentForm, CommentForm
from casework.pagination import CappedPaginator
from casework.roles import Role
from casework.services import case_attachments, case_timeline, customer_find_or_create
from sla.selectors import attach_next_deadlines
from sla.services import case_milestones
from workflow.act import case_comment
from workflow.selectors import case_rows
from workflow.views import case_action_submit

from . import selectors, services
from .forms import IntakeForm, QueueFilterForm
from .models import Proposal
from .workflow import WORKFLOW

ANY_ROLE = (Role.AGENT, Role.HANDLER, Role.MANAGER)
DESK = (Role.AGENT, Role.MANAGER)


def _get_proposal(request, number) -> Proposal:
    try:
        return selectors.proposal_get_visible(user=request.user, number=number)
    except Proposal.DoesNotExist:
        raise Http404(_("No such proposal.")) from None


@role_required(*ANY_ROLE)
def queue(request):
    params = request.GET.copy()
    params.setdefault("state", QueueFilterForm.OPEN)  # open proposals unless a state (or "all") is chosen
    form = QueueFilterForm(params)
    filters = {}
    if form.is_valid():
        d = form.cleaned_data
        filters = {"state": "" if d["state"] == form.OPEN else d["state"], "open_only": d["state"] == form.OPEN,
                   "unit": d["unit"], "category": d["category"], "search": d["q"].strip()}
    proposals = selectors.proposal_list(user=request.user, **filters)
    page = CappedPaginator(case_rows(proposals), settings.PAGE_SIZE,
                           count_queryset=proposals).get_page(request.GET.get("page"))
    page.object_list = attach_next_deadlines(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "proposals/queue.html", {"form": form, "page": page, "query": query.urlencode()})


@role_required(*DESK)
def intake(request):
    form = IntakeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            # One transaction: a refused registration leaves no new customer behind.
            with transaction.atomic():
                customer = customer_find_or_create(**form.customer_details())
                proposal = services.proposal_register(
                    actor=request.user, customer=customer,
                    **{f: d[f] for f in ("channel", "received_at", "category", "subject", "content",
                                         "expected_benefit", "priority")})
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Proposal %(number)s registered.") % {"number": proposal.number})
            return redirect("proposals:detail", number=proposal.number)
    return render(request, "proposals/intake.html", {"form": form}, status=400 if form.errors else 200)


def _detail_context(request, proposal, **overrides):
    actions = WORKFLOW.available(case=proposal, user=request.user)
    forms = {a.name: a.form_class(initial={"version": proposal.version, "unit": proposal.suggested_unit_id},
                                  prefix=a.name) for a in actions}
    forms.update(overrides.pop("forms", {}))
    context = {
        "proposal": proposal,
        "actions": [(a, forms[a.name]) for a in actions],
        "timeline": case_timeline(case=proposal),
        "milestones": case_milestones(case=proposal),
        "attachments": case_attachments(case=proposal),
        "comment_form": CommentForm(),
        "attachment_form": AttachmentForm(),
    }
    context.update(overrides)
    return context


def _detail_renderer(request, proposal, refetch=None):
    """Renders the detail page again with a form's errors; `fresh=True` re-reads a case someone else changed."""
    def render_detail(status, fresh=False, **overrides):
        case = refetch() if fresh and refetch else proposal
        return render(request, "proposals/detail.html", _detail_context(request, case, **overrides), status=status)

    return render_detail


@role_required(*ANY_ROLE)
def detail(request, number):
    return render(request, "proposals/detail.html", _detail_context(request, _get_proposal(request, number)))


@require_POST
@role_required(*ANY_ROLE)
def act(request, number, action):
    proposal = _get_proposal(request, number)
    return case_action_submit(
        request, case=proposal, action=action, workflow=WORKFLOW,
        render_detail=_detail_renderer(request, proposal, refetch=lambda: _get_proposal(request, number)),
        success_url=reverse("proposals:detail", args=[number]))


@require_POST
@role_required(*ANY_ROLE)
def comment(request, number):
    proposal = _get_proposal(request, number)
    return case_comment_submit(
        request, render_detail=_detail_renderer(request, proposal),
        success_url=reverse("proposals:detail", args=[number]),
        comment=lambda text: case_comment(case=proposal, actor=request.user, text=text))


@require_POST
@role_required(*ANY_ROLE)
def upload(request, number):
    """A written proposal's scan, drawings, the unit's study."""
    proposal = _get_proposal(request, number)
    return case_attachment_submit(
        request, case=proposal, success_url=reverse("proposals:detail", args=[number]),
        render_detail=_detail_renderer(request, proposal))


@role_required(*ANY_ROLE)
def attachment(request, number, pk):
    return case_attachment_file(case=_get_proposal(request, number), pk=pk)
