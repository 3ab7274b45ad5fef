"""Changing proposals. Each function is one business action: it checks the actor
against the policy, refuses a stale edit, applies the model's transition, moves the
SLA clock and writes the timeline entry, all in one transaction."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.lifecycle import case_claimed, case_transition
from casework.models import CaseEvent, CaseNumberSequence, Customer, ResponsibleUnit
from casework.services import case_event_record
from sla import services as sla
from sla.models import MilestoneKind

from . import policy
from .choices import Decision, Priority
from .models import Proposal

NUMBER_PREFIX = "TA"
# SPEC §4: unit research that runs over a month must carry a schedule.
RESEARCH_NEEDS_SCHEDULE_AFTER = timedelta(days=31)

ACTION_LABELS = {
    "acknowledge": gettext_lazy("Thank the customer"),
    "suggest_unit": gettext_lazy("Suggest a unit"),
    "route": gettext_lazy("Route to a unit"),
    "archive": gettext_lazy("Archive"),
    "evaluate": gettext_lazy("Record the evaluation"),
    "send_back": gettext_lazy("Send back to the unit"),
    "extend": gettext_lazy("Extend to 15 working days"),
    "feedback": gettext_lazy("Tell the customer the decision"),
    "implement": gettext_lazy("Report implementation"),
    "close": gettext_lazy("Close"),
}


@transaction.atomic
def proposal_register(*, actor, customer: Customer, channel: str, received_at, category: str, subject: str,
                      content: str, expected_benefit: str = "", priority: str = Priority.NORMAL) -> Proposal:
    """The desk registers a proposal; the person registering is its first responder.
    The feedback clock starts when the proposal was received."""
    if not policy.can_register(actor):
        raise PermissionDenied
    now = timezone.now()
    proposal = Proposal(
        number=CaseNumberSequence.next_number(prefix=NUMBER_PREFIX, at=now), customer=customer, channel=channel,
        received_at=received_at, category=category, subject=subject, content=content,
        expected_benefit=expected_benefit, priority=priority, first_responder=actor, created_at=now)
    proposal.full_clean(exclude=["state"])
    proposal.save()
    sla.milestones_start(case=proposal, kinds=[MilestoneKind.PROPOSAL_FEEDBACK], started_at=proposal.received_at,
                         case_kind=proposal.sla_case_kind, priority=proposal.sla_priority, owner=actor)
    case_event_record(case=proposal, kind=CaseEvent.Kind.CREATED, actor=actor, action="register",
                      to_state=proposal.state, note=proposal.get_channel_display())
    return proposal


def _claimed(*, proposal: Proposal, actor, action: str, expected_version: int | None):
    return case_claimed(queryset=Proposal.objects.select_related("responsible_unit", "customer"),
                        case=proposal, actor=actor, action=action, expected_version=expected_version,
                        label=ACTION_LABELS.get(action, action), may_act_otherwise=policy.is_service_desk_member)


def _transition(*, proposal, actor, action, expected_version, note, kind=CaseEvent.Kind.TRANSITION, before=None,
                **kwargs):
    return case_transition(
        claim=lambda action: _claimed(proposal=proposal, actor=actor, action=action,
                                      expected_version=expected_version),
        actor=actor, action=action, note=note, kind=kind, after=_sla_after, before=before, **kwargs)


def _sla_after(case: Proposal, action: str) -> None:
    if action == "feedback":
        sla.milestones_meet(case=case, kinds=[MilestoneKind.PROPOSAL_FEEDBACK], at=case.feedback_at)
    elif action == "extend":
        sla.milestones_recompute(case=case, case_kind=case.sla_case_kind, priority=case.sla_priority)
    elif action == "route":
        sla.milestones_assign_unit(case=case, unit=case.responsible_unit)
    if not case.is_open:
        sla.milestones_close(case=case, at=timezone.now())


def _active(unit: ResponsibleUnit) -> ResponsibleUnit:
    if unit.status != ResponsibleUnit.Status.ACTIVE:
        raise ValidationError({"unit": _("%(unit)s is suspended and cannot take cases.") % {"unit": unit}})
    return unit


def proposal_acknowledge(*, proposal, actor, note: str, expected_version: int | None = None) -> Proposal:
    return _transition(proposal=proposal, actor=actor, action="acknowledge", expected_version=expected_version,
                       note=note, kind=CaseEvent.Kind.CONTACT, at=timezone.now())


def proposal_suggest_unit(*, proposal, actor, unit: ResponsibleUnit, note: str = "",
                          expected_version: int | None = None) -> Proposal:
    lines = [_("Suggested unit: %(unit)s.") % {"unit": _active(unit)}] + ([note] if note else [])
    return _transition(proposal=proposal, actor=actor, action="suggest_unit", expected_version=expected_version,
                       note="\n".join(lines), kind=CaseEvent.Kind.COMMENT, unit=unit)


def proposal_route(*, proposal, actor, unit: ResponsibleUnit, note: str = "",
                   expected_version: int | None = None) -> Proposal:
    lines = [_("Routed to %(unit)s.") % {"unit": _active(unit)}] + ([note] if note else [])
    return _transition(proposal=proposal, actor=actor, action="route", expected_version=expected_version,
                       note="\n".join(lines), kind=CaseEvent.Kind.ASSIGNMENT, unit=unit, at=timezone.now())


def proposal_archive(*, proposal, actor, reason: str, expected_version: int | None = None) -> Proposal:
    return _transition(proposal=proposal, actor=actor, action="archive", expected_version=expected_version,
                       note=reason, reason=reason, at=timezone.now())


def proposal_evaluate(*, proposal, actor, decision: str, opinion: str, planned_implementation_on=None,
                      measures: str = "", research_schedule: str = "",
                      expected_version: int | None = None) -> Proposal:
    """The unit's answer. Adopting needs a plan (date and measures); a plan more than a month
    away needs the research schedule. Checked after the actor's right to evaluate."""
    adopted = decision == Decision.ADOPTED
    if not adopted:
        planned_implementation_on, measures, research_schedule = None, "", ""
    return _transition(
        proposal=proposal, actor=actor, action="evaluate", expected_version=expected_version,
        note=f"{Decision(decision).label}\n{opinion}",
        before=(lambda case: _check_plan(planned_implementation_on, measures, research_schedule)) if adopted else None,
        decision=decision, opinion=opinion, planned_implementation_on=planned_implementation_on, measures=measures,
        research_schedule=research_schedule, at=timezone.now())


def _check_plan(planned_implementation_on, measures: str, research_schedule: str) -> None:
    errors = {}
    today = timezone.localdate()
    if planned_implementation_on is None:
        errors["planned_implementation_on"] = _("An adopted proposal needs a planned implementation date.")
    elif planned_implementation_on < today:
        errors["planned_implementation_on"] = _("The planned implementation date cannot be in the past.")
    elif planned_implementation_on - today > RESEARCH_NEEDS_SCHEDULE_AFTER and not research_schedule.strip():
        errors["research_schedule"] = _("Work that runs over a month needs a research schedule.")
    if not measures.strip():
        errors["measures"] = _("Say which measures will be taken.")
    if errors:
        raise ValidationError(errors)


def proposal_send_back(*, proposal, actor, note: str, expected_version: int | None = None) -> Proposal:
    return _transition(proposal=proposal, actor=actor, action="send_back", expected_version=expected_version,
                       note=note)


def proposal_extend(*, proposal, actor, reason: str, expected_version: int | None = None) -> Proposal:
    """15 working days instead of 10 — asked for while the deadline still stands: an extension
    does not turn a missed deadline into a met one."""
    return _transition(proposal=proposal, actor=actor, action="extend", expected_version=expected_version,
                       note=reason, kind=CaseEvent.Kind.COMMENT, before=_refuse_if_feedback_overdue)


def _refuse_if_feedback_overdue(case: Proposal) -> None:
    if sla.case_milestones(case=case).filter(kind=MilestoneKind.PROPOSAL_FEEDBACK,
                                             due_at__lte=timezone.now()).exists():
        raise ValidationError(_("The feedback deadline has already passed: it can no longer be extended."))


def proposal_feedback(*, proposal, actor, handling_satisfaction: str, note: str,
                      expected_version: int | None = None) -> Proposal:
    return _transition(proposal=proposal, actor=actor, action="feedback", expected_version=expected_version,
                       note=note, kind=CaseEvent.Kind.CONTACT, handling_satisfaction=handling_satisfaction,
                       at=timezone.now())


def proposal_implement(*, proposal, actor, report: str, cost_reduction: Decimal | None,
                       expected_version: int | None = None) -> Proposal:
    return _transition(proposal=proposal, actor=actor, action="implement", expected_version=expected_version,
                       note=report, report=report, cost_reduction=cost_reduction, at=timezone.now())


def proposal_close(*, proposal, actor, note: str = "", expected_version: int | None = None) -> Proposal:
    return _transition(proposal=proposal, actor=actor, action="close", expected_version=expected_version,
                       note=note, at=timezone.now())


@transaction.atomic
def proposal_comment(*, proposal, actor, text: str) -> CaseEvent:
    if not policy.can_comment(actor, proposal):
        raise PermissionDenied
    return case_event_record(case=proposal, kind=CaseEvent.Kind.COMMENT, actor=actor, action="comment", note=text)

