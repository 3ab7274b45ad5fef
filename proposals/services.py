"""Changing proposals: registration, the lifecycle actions (each a row of proposals.workflow, run
by workflow.act.case_act in one transaction), and comments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from casework.bulk import TableSink
from casework.case_kinds import case_content_type
from casework.models import (
    CASE_EVENT_COLUMNS_WITH_LINES,
    CaseEvent,
    CaseNumberSequence,
    ContactPerson,
    Customer,
    ResponsibleUnit,
)
from casework.services import case_event_record
from casework.timeline import choice, lines_json, timeline_text
from satisfaction.outbox import customer_message_queue
from sla import services as sla
from sla.models import MilestoneKind
from workflow.act import case_act

from . import customer_messages, policy
from .choices import FINAL_STATES, Channel, Priority, State
from .models import Proposal
from .workflow import WORKFLOW

NUMBER_PREFIX = "TA"


# The channel by its code on the timeline, so it follows the reader's language (casework.timeline).
CHANNEL = timeline_text("proposals.channel", "%(channel)s", channel=choice(Channel))


@transaction.atomic
def proposal_register(*, actor: User, customer: Customer, channel: str, received_at: datetime, category: str,
                      subject: str,
                      content: str, expected_benefit: str = "", priority: str = Priority.NORMAL,
                      contact_person: ContactPerson | None = None) -> Proposal:
    """The desk registers a proposal; the person registering is its first responder.
    The feedback clock starts when the proposal was received."""
    if not policy.can_register(actor):
        raise PermissionDenied
    now = timezone.now()
    proposal = Proposal(
        number=CaseNumberSequence.next_number(prefix=NUMBER_PREFIX, at=now), customer=customer,
        contact_person=contact_person, channel=channel, received_at=received_at, category=category, subject=subject,
        content=content,
        expected_benefit=expected_benefit, priority=priority, first_responder=actor, created_at=now)
    proposal.full_clean(exclude=["state"])
    proposal.save()
    sla.milestones_start(case=proposal, kinds=[MilestoneKind.PROPOSAL_FEEDBACK], started_at=proposal.received_at,
                         case_kind=proposal.sla_case_kind, priority=proposal.sla_priority, owner=actor)
    case_event_record(case=proposal, kind=CaseEvent.Kind.CREATED, actor=actor, action="register",
                      to_state=proposal.state, lines=[CHANNEL.line(channel=proposal.channel)])
    subject, text = customer_messages.registered_message(proposal)
    customer_message_queue(case=proposal, customer=proposal.customer, subject=subject, text=text)
    return proposal


@dataclass(frozen=True)
class ProposalHistory:
    """What another system knows of a proposal beyond its receipt (proposals/importing.py checks it)."""

    state: str = State.SUBMITTED
    unit: ResponsibleUnit | None = None
    acknowledged_at: datetime | None = None
    routed_at: datetime | None = None
    decision: str = ""
    handling_satisfaction: str = ""
    feedback_at: datetime | None = None
    closed_at: datetime | None = None


IMPORTED_HISTORY = timeline_text("proposals.imported_history", gettext_lazy("Imported from another system."))


@transaction.atomic
def proposals_import_many(*, actor: User, intakes: Sequence[dict[str, Any]],
                          histories: Sequence[ProposalHistory]) -> list[Proposal]:
    """Imported proposals, as far as they had got: a closed or archived one with its feedback clock
    met or breached as it was and not left running (so no sweep escalates history), an open one
    with the clock running from receipt as at registration. The customer is told nothing; each gets
    one "imported" timeline entry. Callers check who may import."""
    if not intakes:
        return []
    if not policy.can_import(actor):
        raise PermissionDenied
    now = timezone.now()
    numbers = CaseNumberSequence.next_numbers(prefix=NUMBER_PREFIX, at=now, count=len(intakes))
    proposals = [
        Proposal(number=number, **intake, first_responder=actor, created_at=now, state=h.state,
                 responsible_unit=h.unit if h.routed_at or h.state in FINAL_STATES else None,
                 suggested_unit=None, acknowledged_at=h.acknowledged_at, routed_at=h.routed_at, decision=h.decision,
                 handling_satisfaction=h.handling_satisfaction, feedback_at=h.feedback_at, closed_at=h.closed_at,
                 evaluated_at=h.feedback_at if h.decision else None)
        for number, intake, h in zip(numbers, intakes, histories, strict=True)]
    Proposal.objects.bulk_create(proposals)
    sla.milestones_record_known(case_kind="proposal", owner=actor, clocks=[
        sla.KnownClock(case=p, kind=MilestoneKind.PROPOSAL_FEEDBACK, started_at=p.received_at,
                       priority=p.sla_priority, met_at=h.feedback_at,
                       ended_at=h.closed_at if h.state in FINAL_STATES else None, unit=h.unit)
        for p, h in zip(proposals, histories, strict=True)])
    case_type_id = case_content_type(Proposal).pk
    events = TableSink(CaseEvent, CASE_EVENT_COLUMNS_WITH_LINES)
    imported = lines_json([IMPORTED_HISTORY.line()])
    for p in proposals:
        events.add(case_type_id, p.pk, CaseEvent.Kind.CREATED, "import", actor.pk, "", p.state, "", now, imported)
    events.flush()
    return proposals


def proposal_act(*, proposal: Proposal, actor: User, action: str, expected_version: int | None = None,
                 **data: Any) -> Proposal:
    """Take one lifecycle action (a row of proposals.workflow.WORKFLOW) with the form's data."""
    return case_act(workflow=WORKFLOW, case=proposal, actor=actor, action=action, data=data,
                    expected_version=expected_version)


# The domain API the pages and tests call by name; each is one row of the workflow table.
def proposal_acknowledge(*, proposal: Proposal, actor: User, note: str,
                         expected_version: int | None = None) -> Proposal:
    return proposal_act(proposal=proposal, actor=actor, action="acknowledge", expected_version=expected_version,
                        note=note)


def proposal_suggest_unit(*, proposal: Proposal, actor: User, unit: ResponsibleUnit, note: str = "",
                          expected_version: int | None = None) -> Proposal:
    return proposal_act(proposal=proposal, actor=actor, action="suggest_unit", expected_version=expected_version,
                        unit=unit, note=note)


def proposal_route(*, proposal: Proposal, actor: User, unit: ResponsibleUnit, note: str = "",
                   expected_version: int | None = None) -> Proposal:
    return proposal_act(proposal=proposal, actor=actor, action="route", expected_version=expected_version,
                        unit=unit, note=note)


def proposal_archive(*, proposal: Proposal, actor: User, reason: str, expected_version: int | None = None) -> Proposal:
    return proposal_act(proposal=proposal, actor=actor, action="archive", expected_version=expected_version,
                        reason=reason)


def proposal_evaluate(*, proposal: Proposal, actor: User, decision: str, opinion: str,
                      planned_implementation_on: date | None = None,
                      measures: str = "", research_schedule: str = "", expected_version: int | None = None) -> Proposal:
    return proposal_act(proposal=proposal, actor=actor, action="evaluate", expected_version=expected_version,
                        decision=decision, opinion=opinion, planned_implementation_on=planned_implementation_on,
                        measures=measures, research_schedule=research_schedule)


def proposal_send_back(*, proposal: Proposal, actor: User, note: str, expected_version: int | None = None) -> Proposal:
    return proposal_act(proposal=proposal, actor=actor, action="send_back", expected_version=expected_version,
                        note=note)


def proposal_extend(*, proposal: Proposal, actor: User, reason: str, expected_version: int | None = None) -> Proposal:
    return proposal_act(proposal=proposal, actor=actor, action="extend", expected_version=expected_version,
                        reason=reason)


def proposal_feedback(*, proposal: Proposal, actor: User, handling_satisfaction: str, note: str,
                      expected_version: int | None = None) -> Proposal:
    return proposal_act(proposal=proposal, actor=actor, action="feedback", expected_version=expected_version,
                        handling_satisfaction=handling_satisfaction, note=note)


def proposal_implement(*, proposal: Proposal, actor: User, report: str, cost_reduction: Decimal | None,
                       expected_version: int | None = None) -> Proposal:
    return proposal_act(proposal=proposal, actor=actor, action="implement", expected_version=expected_version,
                        report=report, cost_reduction=cost_reduction)


def proposal_close(*, proposal: Proposal, actor: User, note: str = "", expected_version: int | None = None) -> Proposal:
    return proposal_act(proposal=proposal, actor=actor, action="close", expected_version=expected_version,
                        note=note)
