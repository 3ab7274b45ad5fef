"""Proposal pages: the shared case pages (workflow.pages) — the list, intake, a proposal's page, its
actions, comments and files — described by PAGES."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from satisfaction.outbox import case_customer_messages
from satisfaction.policy import may_see_customer_contact
from workflow.bulk_actions import BulkAction
from workflow.exports import Column
from workflow.pages import CasePages

from . import policy, selectors, services
from .forms import IntakeForm, QueueFilterForm
from .models import Proposal
from .workflow import WORKFLOW


def _detail_context(request, proposal: Proposal) -> dict:
    """What only a proposal's page shows: the messages to its customer (masked for a handler)."""
    return {"customer_messages": case_customer_messages(case=proposal),
            "show_contact": may_see_customer_contact(request.user)}


PAGES = CasePages(
    model=Proposal, workflow=WORKFLOW, filter_form=QueueFilterForm,
    get_visible=selectors.proposal_get_visible, list_cases=selectors.proposal_list,
    # `register` looks the service up when called, like the other services (tests replace it).
    intake_form=IntakeForm, register=lambda **details: services.proposal_register(**details),
    registered=_("Proposal %(number)s registered."), not_found=_("No such proposal."),
    initial=lambda proposal: {"unit": proposal.suggested_unit_id},  # the agent's suggestion, for routing
    detail_context=_detail_context,
    export_columns=(
        Column(_("Priority"), lambda p, m: p.get_priority_display()),
        Column(_("Decision"), lambda p, m: p.get_decision_display()),
    ),
    # A proposal's equivalents of the complaint's: routing to a unit and archiving with the reason,
    # both only while the proposal is acknowledged and not yet routed (its lifecycle has no transfer
    # and no forced closure later on).
    bulk_actions=(
        BulkAction("route", _("Route to a unit"), ("route",), needs_unit=True),
        BulkAction("archive", _("Archive"), ("archive",)),
    ),
    can_act_in_bulk=policy.can_act_in_bulk,
    find_by_numbers=selectors.proposal_find_by_numbers,
)
