"""Proposal pages: the shared case pages (workflow.pages) — the list, intake, a proposal's page, its
actions, comments and files — described by PAGES."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from workflow.pages import CasePages

from . import selectors, services
from .forms import IntakeForm, QueueFilterForm
from .models import Proposal
from .workflow import WORKFLOW

PAGES = CasePages(
    model=Proposal, workflow=WORKFLOW, filter_form=QueueFilterForm,
    get_visible=selectors.proposal_get_visible, list_cases=selectors.proposal_list,
    # `register` looks the service up when called, like the other services (tests replace it).
    intake_form=IntakeForm, register=lambda **details: services.proposal_register(**details),
    registered=_("Proposal %(number)s registered."), not_found=_("No such proposal."),
    initial=lambda proposal: {"unit": proposal.suggested_unit_id},  # the agent's suggestion, for routing
)
