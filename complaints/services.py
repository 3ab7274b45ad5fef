"""Changing complaints. Each function is one business action: it checks the actor
against the policy, refuses a stale edit, applies the model's transition and writes
the timeline entry, all in one transaction."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.bulk import TableSink
from casework.errors import TransitionNotPossible
from casework.lifecycle import case_claimed, case_transition
from casework.models import CaseEvent, CaseNumberSequence, Customer, ResponsibleUnit
from casework.services import case_event_record
from satisfaction.models import Callback
from sla import services as sla
from sla.models import MilestoneKind

from . import policy
from .choices import MAJOR_SEVERITIES, Channel, ComplainantClass, Kind, Priority, State, severity_for_loss
from .models import Complaint
from .selectors import complaint_find_repeat

NUMBER_PREFIX = "TS"

# The fields the service desk may correct after intake, outside the lifecycle.
EDITABLE_DETAILS = (
    "category", "priority", "complainant_class", "estimated_loss", "is_major",
    "subject", "description", "customer_demand", "target",
)


def default_complainant_class(*, customer: Customer, channel: str) -> str:
    """Key customers and regulators are class A until the desk says otherwise."""
    if customer.tier == Customer.Tier.KEY or channel == Channel.REGULATOR:
        return ComplainantClass.A
    return ComplainantClass.C


def complaint_register(*, actor, **intake) -> Complaint:
    """The desk registers a complaint; the person registering is its first responder."""
    if not policy.can_register(actor):
        raise PermissionDenied
    return complaint_record_intake(actor=actor, **intake)


def _new_complaint(
    *,
    actor,
    number: str,
    now,
    customer: Customer,
    channel: str,
    received_at,
    category: str,
    subject: str,
    description: str,
    customer_demand: str = "",
    target: str = "",
    priority: str = Priority.NORMAL,
    complainant_class: str = "",
    estimated_loss: Decimal | None = None,
    is_major: bool = False,
    kind: str = Kind.COMPLAINT,
) -> Complaint:
    """An unsaved complaint as intake makes it: severity from the loss, major from the severity,
    the complainant class by default from the customer and channel."""
    severity = severity_for_loss(estimated_loss)
    return Complaint(
        number=number, kind=kind, customer=customer, channel=channel, received_at=received_at,
        category=category, subject=subject, description=description, customer_demand=customer_demand,
        target=target, priority=priority,
        complainant_class=complainant_class or default_complainant_class(customer=customer, channel=channel),
        estimated_loss=estimated_loss, severity=severity, is_major=is_major or severity in MAJOR_SEVERITIES,
        first_responder=actor, created_at=now,
    )


@transaction.atomic
def complaint_record_intake(*, actor, note: str = "", **intake) -> Complaint:
    """Number, classify and store a complaint, start its SLA clocks, open its timeline.
    Callers check who may do it: the desk's intake, or an import."""
    now = timezone.now()
    complaint = _new_complaint(actor=actor, now=now, **intake,
                               number=CaseNumberSequence.next_number(prefix=NUMBER_PREFIX, at=now))
    complaint.full_clean(exclude=["state"])
    complaint.save()
    clocks = INTAKE_CLOCKS + ([MilestoneKind.MAJOR_REPORT] if complaint.is_major else [])
    sla.milestones_start(case=complaint, kinds=clocks, started_at=complaint.received_at,
                         case_kind=complaint.sla_case_kind, priority=complaint.priority, owner=actor)
    case_event_record(case=complaint, kind=CaseEvent.Kind.CREATED, actor=actor, action="register",
                      to_state=complaint.state, note=note or complaint.get_channel_display())
    if complaint.is_major:
        case_event_record(case=complaint, kind=CaseEvent.Kind.ESCALATION, actor=actor, action="major",
                          note=_("Major complaint: reported to the service manager."))
    return complaint


INTAKE_CLOCKS = [MilestoneKind.FIRST_CONTACT, MilestoneKind.PROGRESS_REPLY, MilestoneKind.RESOLUTION,
                 MilestoneKind.LONG_OPEN]


@transaction.atomic
def complaints_record_intake_many(*, actor, intakes: list[dict], note: str = "") -> list[Complaint]:
    """complaint_record_intake for a batch (imports): a block of numbers, one insert each for the
    complaints, their clocks and their timeline entries. Rows were validated by the caller's form."""
    if not intakes:
        return []
    now = timezone.now()
    numbers = CaseNumberSequence.next_numbers(prefix=NUMBER_PREFIX, at=now, count=len(intakes))
    complaints = [_new_complaint(actor=actor, now=now, number=number, **intake)
                  for number, intake in zip(numbers, intakes, strict=True)]
    Complaint.objects.bulk_create(complaints)
    for kind in {c.kind for c in complaints}:
        sla.milestones_start_new_cases(
            cases=[c for c in complaints if c.kind == kind], kinds=INTAKE_CLOCKS, case_kind=kind,
            started_at=lambda c: c.received_at, priority=lambda c: c.priority, owner=actor)
        sla.milestones_start_new_cases(
            cases=[c for c in complaints if c.kind == kind and c.is_major], kinds=[MilestoneKind.MAJOR_REPORT],
            case_kind=kind, started_at=lambda c: c.received_at, priority=lambda c: c.priority, owner=actor)
    case_type_id = ContentType.objects.get_for_model(Complaint).pk
    events = TableSink(CaseEvent, ["case_type_id", "case_id", "kind", "action", "actor_id", "from_state", "to_state",
                                   "note", "created_at"])
    for c in complaints:
        events.add(case_type_id, c.pk, CaseEvent.Kind.CREATED, "register", actor.pk, "", c.state, note, now)
        if c.is_major:
            events.add(case_type_id, c.pk, CaseEvent.Kind.ESCALATION, "major", actor.pk, "", "",
                       _("Major complaint: reported to the service manager."), now)
    events.flush()
    return complaints


def _claimed(*, complaint: Complaint, actor, action: str, expected_version: int | None):
    return case_claimed(queryset=Complaint.objects.select_related("responsible_unit", "customer"),
                        case=complaint, actor=actor, action=action, expected_version=expected_version,
                        label=ACTION_LABELS.get(action, action), may_act_otherwise=policy.is_service_desk_member)


def _transition(*, complaint, actor, action, expected_version, note, kind=CaseEvent.Kind.TRANSITION, **kwargs):
    return case_transition(
        claim=lambda action: _claimed(complaint=complaint, actor=actor, action=action,
                                      expected_version=expected_version),
        actor=actor, action=action, note=note, kind=kind, after=_sla_after, **kwargs)


# Which lifecycle action stops which SLA clock (SPEC §5).
MILESTONES_MET_BY = {
    "contact": [MilestoneKind.FIRST_CONTACT],
    "propose": [MilestoneKind.UNIT_SOLUTION],
    "reply_progress": [MilestoneKind.PROGRESS_REPLY],
    "customer_agrees": [MilestoneKind.PROGRESS_REPLY],
    "customer_disagrees": [MilestoneKind.PROGRESS_REPLY],
    "implement": [MilestoneKind.RESOLUTION],
    "record_callback": [MilestoneKind.CALLBACK],
    "report_major": [MilestoneKind.MAJOR_REPORT],
}


def _sla_after(case: Complaint, action: str) -> None:
    now = timezone.now()
    if action in MILESTONES_MET_BY:
        sla.milestones_meet(case=case, kinds=MILESTONES_MET_BY[action], at=now)
    if action == "dispatch":
        sla.milestones_assign_unit(case=case, unit=case.responsible_unit)
        sla.milestones_start(case=case, kinds=[MilestoneKind.UNIT_SOLUTION], started_at=now,
                             case_kind=case.sla_case_kind, priority=case.priority,
                             owner=case.first_responder, unit=case.responsible_unit)
    if action == "implement":
        sla.milestones_start(case=case, kinds=[MilestoneKind.CALLBACK], started_at=now,
                             case_kind=case.sla_case_kind, priority=case.priority,
                             owner=case.first_responder, unit=case.responsible_unit)
    if case.state == State.CLOSED:
        sla.milestones_close(case=case, at=now)


def complaint_contact(*, complaint, actor, note: str, expected_version: int | None = None) -> Complaint:
    return _transition(complaint=complaint, actor=actor, action="contact", expected_version=expected_version,
                       note=note, kind=CaseEvent.Kind.CONTACT, at=timezone.now())


def complaint_dispatch(*, complaint, actor, unit: ResponsibleUnit, note: str = "",
                       expected_version: int | None = None) -> Complaint:
    if unit.status != ResponsibleUnit.Status.ACTIVE:
        raise ValidationError({"unit": _("%(unit)s is suspended and cannot take cases.") % {"unit": unit}})
    with _claimed(complaint=complaint, actor=actor, action="dispatch", expected_version=expected_version) as case:
        from_state = case.state
        case.dispatch(unit=unit, at=timezone.now())
        lines = [_("Dispatched to %(unit)s.") % {"unit": unit}]
        case.repeat_of = complaint_find_repeat(complaint=case)
        if case.repeat_of is not None:
            lines.append(_("Repeat complaint: same customer, unit and category as %(number)s within 90 days.")
                         % {"number": case.repeat_of.number})
        if note:
            lines.append(note)
        case.save()
        _sla_after(case, "dispatch")
        case_event_record(case=case, kind=CaseEvent.Kind.ASSIGNMENT, actor=actor, action="dispatch",
                          from_state=from_state, to_state=case.state, note="\n".join(lines))
    return case


def complaint_propose(*, complaint, actor, root_cause: str, solution: str, resolution_type: str,
                      resolution_amount: Decimal | None = None, expected_version: int | None = None) -> Complaint:
    return _transition(complaint=complaint, actor=actor, action="propose", expected_version=expected_version,
                       note=solution, root_cause=root_cause, solution=solution,
                       resolution_type=resolution_type, resolution_amount=resolution_amount)


def complaint_propose_invalid(*, complaint, actor, reason: str, expected_version: int | None = None) -> Complaint:
    return _transition(complaint=complaint, actor=actor, action="propose_invalid",
                       expected_version=expected_version, note=reason, reason=reason)


def complaint_approve(*, complaint, actor, note: str = "", expected_version: int | None = None) -> Complaint:
    return _transition(complaint=complaint, actor=actor, action="approve", expected_version=expected_version,
                       note=note, at=timezone.now())


def complaint_reject(*, complaint, actor, note: str, expected_version: int | None = None) -> Complaint:
    return _transition(complaint=complaint, actor=actor, action="reject", expected_version=expected_version,
                       note=note)


def complaint_customer_agrees(*, complaint, actor, note: str = "", expected_version: int | None = None) -> Complaint:
    return _transition(complaint=complaint, actor=actor, action="customer_agrees",
                       expected_version=expected_version, note=note)


def complaint_customer_disagrees(*, complaint, actor, note: str, expected_version: int | None = None) -> Complaint:
    return _transition(complaint=complaint, actor=actor, action="customer_disagrees",
                       expected_version=expected_version, note=note)


def complaint_implement(*, complaint, actor, report: str, expected_version: int | None = None) -> Complaint:
    return _transition(complaint=complaint, actor=actor, action="implement", expected_version=expected_version,
                       note=report, report=report, at=timezone.now())


def complaint_record_callback(*, complaint, actor, outcome: str, false_reply: bool = False, note: str = "",
                              expected_version: int | None = None) -> Complaint:
    with _claimed(complaint=complaint, actor=actor, action="record_callback",
                  expected_version=expected_version) as case:
        from_state = case.state
        now = timezone.now()
        callback = Callback.objects.create(complaint=case, round=case.reopen_count, outcome=outcome,
                                           false_reply=false_reply, note=note, called_by=actor, called_at=now)
        case.record_callback(callback=callback, at=now)
        case.save()
        _sla_after(case, "record_callback")
        summary = callback.get_outcome_display()
        if false_reply:
            summary += " · " + _("false reply")
        case_event_record(case=case, kind=CaseEvent.Kind.CALLBACK, actor=actor, action="record_callback",
                          from_state=from_state, to_state=case.state,
                          note=f"{summary}\n{note}" if note else summary)
    return case


def complaint_reply_progress(*, complaint, actor, note: str, expected_version: int | None = None) -> Complaint:
    return _transition(complaint=complaint, actor=actor, action="reply_progress", expected_version=expected_version,
                       note=note, kind=CaseEvent.Kind.CONTACT)


def complaint_report_major(*, complaint, actor, report: str, expected_version: int | None = None) -> Complaint:
    return _transition(complaint=complaint, actor=actor, action="report_major", expected_version=expected_version,
                       note=report)


def complaint_force_close(*, complaint, actor, reason: str, expected_version: int | None = None) -> Complaint:
    return _transition(complaint=complaint, actor=actor, action="force_close", expected_version=expected_version,
                       note=reason, reason=reason, at=timezone.now())


def complaint_update_details(*, complaint, actor, changes: dict, expected_version: int | None = None) -> Complaint:
    """Correct the desk's classification; severity and the major flag follow the loss."""
    unknown = set(changes) - set(EDITABLE_DETAILS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with _claimed(complaint=complaint, actor=actor, action="update_details",
                  expected_version=expected_version) as case:
        if not case.is_open:
            raise TransitionNotPossible(case, ACTION_LABELS["update_details"])
        changed = [f for f, v in changes.items() if getattr(case, f) != v]
        was_major = case.is_major
        for field in changed:
            setattr(case, field, changes[field])
        case.severity = severity_for_loss(case.estimated_loss)
        if case.severity in MAJOR_SEVERITIES:
            case.is_major = True
        case.full_clean(exclude=["state"])
        case.save()
        if "priority" in changed:
            sla.milestones_recompute(case=case, case_kind=case.sla_case_kind, priority=case.priority)
        if case.is_major and not was_major:
            sla.milestones_start(case=case, kinds=[MilestoneKind.MAJOR_REPORT], started_at=timezone.now(),
                                 case_kind=case.sla_case_kind, priority=case.priority,
                                 owner=case.first_responder, unit=case.responsible_unit)
        if changed:
            labels = ", ".join(str(Complaint._meta.get_field(f).verbose_name) for f in changed)
            case_event_record(case=case, kind=CaseEvent.Kind.COMMENT, actor=actor, action="update_details",
                              note=_("Details corrected: %(fields)s") % {"fields": labels})
    return case


@transaction.atomic
def complaint_comment(*, complaint, actor, text: str) -> CaseEvent:
    if not policy.can_comment(actor, complaint):
        raise PermissionDenied
    return case_event_record(case=complaint, kind=CaseEvent.Kind.COMMENT, actor=actor, action="comment", note=text)


ACTION_LABELS = {
    "contact": gettext_lazy("Record first contact"),
    "dispatch": gettext_lazy("Dispatch to a unit"),
    "propose": gettext_lazy("Propose a solution"),
    "propose_invalid": gettext_lazy("Propose invalid closure"),
    "approve": gettext_lazy("Approve"),
    "reject": gettext_lazy("Reject"),
    "customer_agrees": gettext_lazy("Customer agrees"),
    "customer_disagrees": gettext_lazy("Customer disagrees"),
    "implement": gettext_lazy("Report implementation"),
    "record_callback": gettext_lazy("Record callback"),
    "force_close": gettext_lazy("Force close"),
    "reply_progress": gettext_lazy("Progress reply to the customer"),
    "report_major": gettext_lazy("File the major-complaint report"),
    "update_details": gettext_lazy("Correct details"),
}
