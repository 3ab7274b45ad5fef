"""Changing complaints: intake, the lifecycle actions (each a row of complaints.workflow, run by
workflow.act.case_act: actor, version, transition, clocks, timeline and notices in one
transaction), corrections and comments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from django.contrib.auth.models import User
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext_lazy

from casework.bulk import TableSink
from casework.case_kinds import case_content_type
from casework.errors import TransitionNotPossible
from casework.lifecycle import case_claimed
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
from satisfaction.models import Callback
from satisfaction.outbox import customer_message_queue
from satisfaction.planning import (
    SPECIAL_AFTER_MAJOR,
    survey_after_closed_complaint,
    survey_after_major_complaint,
    surveys_after_complaints,
)
from sla import services as sla
from sla.models import MilestoneKind
from workflow.act import case_act, case_comment

from . import customer_messages, policy
from .choices import (
    MAJOR_SEVERITIES,
    Channel,
    ClosureType,
    ComplainantClass,
    Kind,
    Priority,
    State,
    Validity,
    severity_for_loss,
)
from .models import Complaint
from .workflow import WORKFLOW

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


@transaction.atomic
def complaint_register(*, actor: User, **intake: Any) -> Complaint:
    """The desk (or the portal) registers a complaint; the person registering is its first
    responder. The customer is told its number and the expected handling time (an import is not:
    its cases are history)."""
    if not policy.can_register(actor):
        raise PermissionDenied
    complaint = complaint_record_intake(actor=actor, **intake)
    subject, text = customer_messages.registered_message(complaint)
    customer_message_queue(case=complaint, customer=complaint.customer, subject=subject, text=text)
    return complaint


def _new_complaint(
    *,
    actor: User,
    number: str,
    now: datetime,
    customer: Customer,
    channel: str,
    received_at: datetime,
    category: str,
    contact_person: ContactPerson | None = None,
    subject: str,
    description: str,
    customer_demand: str = "",
    target: str = "",
    priority: str = Priority.NORMAL,
    complainant_class: str = "",
    estimated_loss: Decimal | None = None,
    is_major: bool = False,
    kind: str = Kind.COMPLAINT,
    state: str = State.REGISTERED,
) -> Complaint:
    """An unsaved complaint as intake makes it: severity from the loss, major from the severity,
    the complainant class by default from the customer and channel."""
    severity = severity_for_loss(estimated_loss)
    return Complaint(
        number=number, kind=kind, customer=customer, contact_person=contact_person, channel=channel,
        received_at=received_at,
        category=category, subject=subject, description=description, customer_demand=customer_demand,
        target=target, priority=priority,
        complainant_class=complainant_class or default_complainant_class(customer=customer, channel=channel),
        estimated_loss=estimated_loss, severity=severity, is_major=is_major or severity in MAJOR_SEVERITIES,
        first_responder=actor, created_at=now, state=state,
    )


@transaction.atomic
def complaint_record_intake(*, actor: User, note: str = "", **intake: Any) -> Complaint:
    """Number, classify and store one complaint, start its SLA clocks, open its timeline.
    Callers check who may do it: the desk's intake, or an import."""
    now = timezone.now()
    complaint = _new_complaint(actor=actor, now=now, **intake,
                               number=CaseNumberSequence.next_number(prefix=NUMBER_PREFIX, at=now))
    complaint.full_clean(exclude=["state"])
    _store_intakes(actor=actor, complaints=[complaint], now=now, note=note)
    return complaint


@transaction.atomic
def complaints_record_intake_many(*, actor: User, intakes: Sequence[dict[str, Any]], note: str = "",
                                  imported: bool = False) -> list[Complaint]:
    """complaint_record_intake for a batch (imports): a block of numbers, then the same storing as
    one intake. Rows were validated by the caller's form; `imported` says so on their timelines."""
    if not intakes:
        return []
    now = timezone.now()
    numbers = CaseNumberSequence.next_numbers(prefix=NUMBER_PREFIX, at=now, count=len(intakes))
    complaints = [_new_complaint(actor=actor, now=now, number=number, **intake)
                  for number, intake in zip(numbers, intakes, strict=True)]
    _store_intakes(actor=actor, complaints=complaints, now=now, note=note, imported=imported)
    return complaints


INTAKE_CLOCKS = [MilestoneKind.FIRST_CONTACT, MilestoneKind.PROGRESS_REPLY, MilestoneKind.RESOLUTION,
                 MilestoneKind.LONG_OPEN]
MAJOR_NOTE = gettext_lazy("Major complaint: reported to the service manager.")
# What intake says on the timeline (casework.timeline): the channel by its code, so 电话 / Phone
# follows the reader's language.
CHANNEL = timeline_text("complaints.channel", "%(channel)s", channel=choice(Channel))
IMPORTED = timeline_text("complaints.imported", gettext_lazy("Imported"))
MAJOR = timeline_text("complaints.major", MAJOR_NOTE)
DETAILS_CORRECTED = timeline_text("complaints.details_corrected", gettext_lazy("Details corrected: %(fields)s"),
                                  fields=lambda names: ", ".join(_field_label(name) for name in names))


def _field_label(name: str) -> str:
    try:
        # EDITABLE_DETAILS names the model's own columns, never a relation's reverse side.
        return str(cast("Field[Any, Any]", Complaint._meta.get_field(name)).verbose_name)
    except FieldDoesNotExist:  # a field since removed: its name
        return name


def _store_intakes(*, actor: User, complaints: list[Complaint], now: datetime, note: str,
                   imported: bool = False) -> None:
    """What intake writes, for one complaint or a hundred thousand: one insert each for the
    complaints, their clocks (a major complaint's report clock too) and their timeline entries."""
    Complaint.objects.bulk_create(complaints)
    for kind in {c.kind for c in complaints}:
        sla.milestones_start_new_cases(
            cases=[c for c in complaints if c.kind == kind], kinds=INTAKE_CLOCKS, case_kind=kind,
            started_at=lambda c: c.received_at, priority=lambda c: c.priority, owner=actor)
        sla.milestones_start_new_cases(
            cases=[c for c in complaints if c.kind == kind and c.is_major], kinds=[MilestoneKind.MAJOR_REPORT],
            case_kind=kind, started_at=lambda c: c.received_at, priority=lambda c: c.priority, owner=actor)
    case_type_id = case_content_type(Complaint).pk
    events = TableSink(CaseEvent, CASE_EVENT_COLUMNS_WITH_LINES)
    major = lines_json([MAJOR.line()])
    for c in complaints:
        said = lines_json([CHANNEL.line(channel=c.channel)] + ([IMPORTED.line()] if imported else []))
        events.add(case_type_id, c.pk, CaseEvent.Kind.CREATED, "register", actor.pk, "", c.state, note, now, said)
        if c.is_major:
            events.add(case_type_id, c.pk, CaseEvent.Kind.ESCALATION, "major", actor.pk, "", "", "", now, major)
    events.flush()
    # Seed 002 第十二条: a major complaint asks for a special satisfaction survey of its customer.
    surveys_after_complaints(complaints=[c for c in complaints if c.is_major and c.kind == Kind.COMPLAINT], actor=actor,
                             reason=SPECIAL_AFTER_MAJOR)


@dataclass(frozen=True)
class ComplaintHistory:
    """What another hotline system knows of a complaint beyond its intake: how far it got, with
    which unit, and when each step happened (complaints/importing.py checks the combinations)."""

    state: str = State.REGISTERED
    unit: ResponsibleUnit | None = None
    contacted_at: datetime | None = None
    dispatched_at: datetime | None = None
    replied_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    closure_type: str = ""
    callback_outcome: str = ""
    callback_at: datetime | None = None


IMPORTED_HISTORY = timeline_text("complaints.imported_history", gettext_lazy("Imported from another hotline system."))


@transaction.atomic
def complaints_import_many(*, actor: User, intakes: Sequence[dict[str, Any]],
                           histories: Sequence[ComplaintHistory]) -> list[Complaint]:
    """Imported complaints, stored as far as they had got: a closed one closed, with its clocks met
    or breached as they were (deadlines from the SLA policies, counted from its own times) and none
    left running, so no sweep escalates history; an open one in its state, the clocks it has not
    met running from receipt as at intake. The customer is told nothing (it is history), and every
    case gets one "imported" timeline entry. Callers check who may import."""
    if not intakes:
        return []
    if not policy.can_import(actor):
        raise PermissionDenied
    now = timezone.now()
    numbers = CaseNumberSequence.next_numbers(prefix=NUMBER_PREFIX, at=now, count=len(intakes))
    complaints = []
    for number, intake, history in zip(numbers, intakes, histories, strict=True):
        complaint = _new_complaint(actor=actor, now=now, number=number, **intake, state=history.state)
        closed = history.state == State.CLOSED
        complaint.responsible_unit = complaint.counted_unit = history.unit
        complaint.first_contacted_at, complaint.dispatched_at = history.contacted_at, history.dispatched_at
        complaint.resolved_at = history.resolved_at
        if closed:
            complaint.closure_type, complaint.closed_at = history.closure_type, history.closed_at
            if history.closure_type == ClosureType.INVALID:
                complaint.validity = Validity.INVALID
        complaints.append(complaint)
    Complaint.objects.bulk_create(complaints)

    for kind in {c.kind for c in complaints}:
        clocks = [clock for c, h in zip(complaints, histories, strict=True) if c.kind == kind
                  for clock in _known_clocks(c, h)]
        sla.milestones_record_known(clocks=clocks, case_kind=kind, owner=actor)
    Callback.objects.bulk_create([
        Callback(complaint=c, round=0, outcome=h.callback_outcome, called_by=actor,
                 called_at=h.callback_at or h.closed_at or now)
        for c, h in zip(complaints, histories, strict=True) if h.callback_outcome])
    case_type_id = case_content_type(Complaint).pk
    events = TableSink(CaseEvent, CASE_EVENT_COLUMNS_WITH_LINES)
    imported = lines_json([IMPORTED_HISTORY.line()])
    for c in complaints:
        events.add(case_type_id, c.pk, CaseEvent.Kind.CREATED, "import", actor.pk, "", c.state, "", now, imported)
    events.flush()
    # An open major complaint still asks for its special survey (seed 002 第十二条); history does not.
    open_major = [c for c in complaints if c.is_major and c.is_open and c.kind == Kind.COMPLAINT]
    surveys_after_complaints(complaints=open_major, actor=actor, reason=SPECIAL_AFTER_MAJOR)
    return complaints


def _known_clocks(complaint: Complaint, history: ComplaintHistory) -> list[sla.KnownClock]:
    """The clocks intake, dispatch and implementation would have started, each met when the history
    says its step happened (the same steps meet them as in complaints.workflow)."""
    ended = history.closed_at if history.state == State.CLOSED else None

    def clock(kind: str, started_at: datetime, met_at: datetime | None = None, unit_kind: str = "") -> sla.KnownClock:
        return sla.KnownClock(case=complaint, kind=kind, started_at=started_at, priority=complaint.priority,
                              met_at=met_at, ended_at=ended, unit=history.unit, unit_kind=unit_kind)

    received = complaint.received_at
    clocks = [clock(MilestoneKind.FIRST_CONTACT, received, history.contacted_at),
              clock(MilestoneKind.PROGRESS_REPLY, received),
              clock(MilestoneKind.RESOLUTION, received, history.resolved_at),
              clock(MilestoneKind.LONG_OPEN, received, ended)]
    if complaint.is_major:
        clocks.append(clock(MilestoneKind.MAJOR_REPORT, received))
    if history.dispatched_at is not None:
        clocks.append(clock(MilestoneKind.UNIT_SOLUTION, history.dispatched_at,
                            history.replied_at or history.resolved_at, unit_kind=getattr(history.unit, "kind", "")))
    if history.resolved_at is not None:
        clocks.append(clock(MilestoneKind.CALLBACK, history.resolved_at,
                            history.callback_at or (history.closed_at if history.callback_outcome else None)))
    return clocks


def complaint_act(*, complaint: Complaint, actor: User, action: str, expected_version: int | None = None,
                  **data: Any) -> Complaint:
    """Take one lifecycle action (a row of complaints.workflow.WORKFLOW) with the form's data."""
    return case_act(workflow=WORKFLOW, case=complaint, actor=actor, action=action, data=data,
                    expected_version=expected_version)


# The domain API the pages, imports and tests call by name; each is one row of the workflow table.
def complaint_contact(*, complaint: Complaint, actor: User, note: str,
                      expected_version: int | None = None) -> Complaint:
    return complaint_act(complaint=complaint, actor=actor, action="contact", expected_version=expected_version,
                         note=note)


def complaint_dispatch(*, complaint: Complaint, actor: User, unit: ResponsibleUnit, note: str = "",
                       expected_version: int | None = None) -> Complaint:
    return complaint_act(complaint=complaint, actor=actor, action="dispatch", expected_version=expected_version,
                         unit=unit, note=note)


def complaint_transfer(*, complaint: Complaint, actor: User, unit: ResponsibleUnit, note: str,
                       expected_version: int | None = None) -> Complaint:
    return complaint_act(complaint=complaint, actor=actor, action="transfer", expected_version=expected_version,
                         to_unit=unit, note=note)


def complaint_hand_back(*, complaint: Complaint, actor: User, note: str,
                        expected_version: int | None = None) -> Complaint:
    return complaint_act(complaint=complaint, actor=actor, action="hand_back", expected_version=expected_version,
                         note=note)


def complaint_reply_preliminary(*, complaint: Complaint, actor: User, note: str,
                                expected_version: int | None = None) -> Complaint:
    return complaint_act(complaint=complaint, actor=actor, action="reply_preliminary",
                         expected_version=expected_version, note=note)


def complaint_resolve_on_the_spot(*, complaint: Complaint, actor: User, note: str, outcome: str = "satisfied",
                                  expected_version: int | None = None) -> Complaint:
    return complaint_act(complaint=complaint, actor=actor, action="resolve_on_the_spot",
                         expected_version=expected_version, outcome=outcome, note=note)


def complaint_propose(*, complaint: Complaint, actor: User, root_cause: str, solution: str, resolution_type: str,
                      resolution_amount: Decimal | None = None, expected_version: int | None = None) -> Complaint:
    return complaint_act(complaint=complaint, actor=actor, action="propose", expected_version=expected_version,
                         root_cause=root_cause, solution=solution, resolution_type=resolution_type,
                         resolution_amount=resolution_amount)


def complaint_propose_invalid(*, complaint: Complaint, actor: User, reason: str,
                              expected_version: int | None = None) -> Complaint:
    return complaint_act(complaint=complaint, actor=actor, action="propose_invalid",
                         expected_version=expected_version, reason=reason)


def complaint_approve(*, complaint: Complaint, actor: User, note: str = "",
                      expected_version: int | None = None) -> Complaint:
    return complaint_act(complaint=complaint, actor=actor, action="approve", expected_version=expected_version,
                         note=note)


def complaint_reject(*, complaint: Complaint, actor: User, note: str, expected_version: int | None = None) -> Complaint:
    return complaint_act(complaint=complaint, actor=actor, action="reject", expected_version=expected_version,
                         note=note)


def complaint_customer_agrees(*, complaint: Complaint, actor: User, note: str = "",
                              expected_version: int | None = None) -> Complaint:
    return complaint_act(complaint=complaint, actor=actor, action="customer_agrees",
                         expected_version=expected_version, note=note)


def complaint_customer_disagrees(*, complaint: Complaint, actor: User, note: str,
                                 expected_version: int | None = None) -> Complaint:
    return complaint_act(complaint=complaint, actor=actor, action="customer_disagrees",
                         expected_version=expected_version, note=note)


def complaint_implement(*, complaint: Complaint, actor: User, report: str,
                        expected_version: int | None = None) -> Complaint:
    return complaint_act(complaint=complaint, actor=actor, action="implement", expected_version=expected_version,
                         report=report)


def complaint_record_callback(*, complaint: Complaint, actor: User, outcome: str, false_reply: bool = False,
                              note: str = "",
                              expected_version: int | None = None) -> Complaint:
    return complaint_act(complaint=complaint, actor=actor, action="record_callback",
                         expected_version=expected_version, outcome=outcome, false_reply=false_reply, note=note)


def complaint_reply_progress(*, complaint: Complaint, actor: User, note: str,
                             expected_version: int | None = None) -> Complaint:
    return complaint_act(complaint=complaint, actor=actor, action="reply_progress", expected_version=expected_version,
                         note=note)


def complaint_report_major(*, complaint: Complaint, actor: User, report: str,
                           expected_version: int | None = None) -> Complaint:
    return complaint_act(complaint=complaint, actor=actor, action="report_major", expected_version=expected_version,
                         report=report)


def complaint_force_close(*, complaint: Complaint, actor: User, reason: str,
                          expected_version: int | None = None) -> Complaint:
    return complaint_act(complaint=complaint, actor=actor, action="force_close", expected_version=expected_version,
                         reason=reason)


def complaint_update_details(*, complaint: Complaint, actor: User, changes: dict[str, Any],
                             expected_version: int | None = None) -> Complaint:
    """Correct the desk's classification; severity and the major flag follow the loss."""
    unknown = set(changes) - set(EDITABLE_DETAILS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with case_claimed(queryset=WORKFLOW.queryset(), case=complaint, actor=actor, action="update_details",
                      expected_version=expected_version, label=UPDATE_DETAILS,
                      may_act_otherwise=WORKFLOW.may_act_otherwise) as case:
        if not case.is_open:
            raise TransitionNotPossible(case, UPDATE_DETAILS)
        changed = [f for f, v in changes.items() if getattr(case, f) != v]
        was_major = case.is_major
        for field in changed:
            setattr(case, field, changes[field])
        case.severity = severity_for_loss(case.estimated_loss)
        if case.severity in MAJOR_SEVERITIES:
            case.is_major = True
        case.full_clean(exclude=["state"])
        case.save()
        sla.case_next_due_refresh(case=case)
        if "priority" in changed:
            sla.milestones_recompute(case=case, case_kind=case.sla_case_kind, priority=case.priority)
        if case.is_major and not was_major:
            sla.milestones_start(case=case, kinds=[MilestoneKind.MAJOR_REPORT], started_at=timezone.now(),
                                 case_kind=case.sla_case_kind, priority=case.priority,
                                 owner=case.first_responder, unit=case.responsible_unit)
            if case.kind == Kind.COMPLAINT:  # a repair request is no complaint to survey after
                survey_after_major_complaint(complaint=case, actor=actor)
        if changed:
            case_event_record(case=case, kind=CaseEvent.Kind.COMMENT, actor=actor, action="update_details",
                              lines=[DETAILS_CORRECTED.line(fields=changed)])
    return case


def complaint_comment(*, complaint: Complaint, actor: User, text: str) -> CaseEvent:
    return case_comment(case=complaint, actor=actor, text=text)


UPDATE_DETAILS = gettext_lazy("Correct details")


def special_survey_on_closing(sender: type[Complaint], instance: Complaint, **kwargs: Any) -> None:
    """django-fsm's post_transition: a complaint that has just closed gets a special survey when
    SURVEY_AFTER_CLOSED_COMPLAINT is on (satisfaction.planning checks the setting). The transition
    knows no person, so the survey's first timeline entry has none either. A survey by link is sent
    a moment later in the same transaction, with the closure message (the workflow table's
    `closing_message`), so that message can carry its link."""
    if not instance.is_open and instance.pk is not None and instance.kind == Kind.COMPLAINT:
        survey_after_closed_complaint(complaint=instance, actor=None)
