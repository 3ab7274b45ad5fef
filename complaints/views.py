"""Complaint pages. The queue, intake, a complaint's page, its actions, comments and files are the
shared case pages (workflow.pages) described by PAGES; the pages below are the complaint's own."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.decorators import role_required
from casework.errors import CaseConflict, CaseError
from casework.pagination import CappedPaginator
from casework.roles import Role, is_service_desk
from proposals.selectors import proposal_overdue_queue
from satisfaction.outbox import case_customer_messages
from satisfaction.policy import may_see_customer_contact
from sla.selectors import attach_next_deadlines
from workflow.bulk_actions import BulkAction
from workflow.exports import Column
from workflow.pages import DESK, CasePages

from . import policy, selectors, services
from .forms import DetailsForm, IntakeForm, QueueFilterForm
from .models import Complaint
from .workflow import WORKFLOW

OVERDUE_PROPOSALS_SHOWN = 50


def _detail_context(request, complaint) -> dict:
    """What only a complaint's page shows: its callbacks, and the desk's link to correct the details."""
    return {"callbacks": complaint.callbacks.all(),  # the page shows when and the outcome, not who called
            "can_edit_details": complaint.is_open and is_service_desk(request.user),
            "customer_messages": case_customer_messages(case=complaint),
            "show_contact": may_see_customer_contact(request.user)}


PAGES = CasePages(
    model=Complaint, workflow=WORKFLOW, filter_form=QueueFilterForm,
    get_visible=selectors.complaint_get_visible, list_cases=selectors.complaint_list,
    # `register` looks the service up when called, like the other services (tests replace it).
    intake_form=IntakeForm, register=lambda **details: services.complaint_register(**details),
    registered=gettext_lazy("Complaint %(number)s registered."), not_found=gettext_lazy("No such complaint."),
    detail_context=_detail_context,
    # A case back with the desk (handed back, reopened) is offered to the same unit by default.
    initial=lambda complaint: {"unit": complaint.responsible_unit_id},
    export_columns=(
        Column(gettext_lazy("Kind"), lambda c, m: c.get_kind_display()),
        Column(gettext_lazy("Priority"), lambda c, m: c.get_priority_display()),
        Column(gettext_lazy("Complainant class"), lambda c, m: c.complainant_class),
        Column(gettext_lazy("Major complaint"), lambda c, m: _("Yes") if c.is_major else ""),
        Column(gettext_lazy("Repeat of"), lambda c, m: c.repeat_of.number if c.repeat_of_id else ""),
    ),
    export_related=("repeat_of",),
    # Re-dispatch: a case with the desk is dispatched, one with a unit transferred (the reason is the
    # transfer's note); forced closure with the reason. Each case's own permission and state apply.
    bulk_actions=(
        BulkAction("redispatch", gettext_lazy("Re-dispatch to a unit"), ("dispatch", "transfer"), needs_unit=True),
        BulkAction("force_close", gettext_lazy("Force close"), ("force_close",)),
    ),
    can_act_in_bulk=policy.can_act_in_bulk,
    find_by_numbers=selectors.complaint_find_by_numbers,
)


@role_required(*DESK)
def edit_details(request, number):
    complaint = PAGES.case(request, number)
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


@role_required(Role.MANAGER)
def approvals(request):
    page = CappedPaginator(selectors.complaint_approval_queue(user=request.user), settings.PAGE_SIZE).get_page(
        request.GET.get("page"))
    page.object_list = attach_next_deadlines(page.object_list)
    return render(request, "complaints/approvals.html", {"page": page, "title": _("Approval queue")})


@role_required(Role.MANAGER)
def overdue(request):
    page = CappedPaginator(selectors.complaint_overdue_queue(user=request.user), settings.PAGE_SIZE).get_page(
        request.GET.get("page"))
    # Proposals wait on the same desk: the most urgent few under the complaints.
    page.object_list = attach_next_deadlines(page.object_list)
    proposals = attach_next_deadlines(proposal_overdue_queue(user=request.user)[:OVERDUE_PROPOSALS_SHOWN + 1])
    return render(request, "complaints/overdue.html", {
        "page": page, "title": _("Overdue and due soon"), "proposals": proposals[:OVERDUE_PROPOSALS_SHOWN],
        "proposals_more": len(proposals) > OVERDUE_PROPOSALS_SHOWN})
