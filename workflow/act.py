"""The one path every lifecycle action of every case kind takes, in one transaction: claim the row
(fresh read, permission, the version the person was shown, the state), run the action's own check,
the django-fsm transition and its hooks, move the SLA clocks the workflow table names, write the
timeline entry, and tell the people the table names once the change is committed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from casework.case_kinds import CaseT
from casework.lifecycle import case_claimed
from casework.models import CaseEvent
from casework.notifications import notify
from casework.services import case_event_record
from sla import services as sla

from .policy import can_take_part, can_view
from .steps import CustomerMessageWithLink, FormData, Step, Workflow


def case_act(*, workflow: Workflow, case: CaseT, actor: User | None, action: str, data: FormData,
             expected_version: int | None = None) -> CaseT:
    """Take `action` on `case` with the form's cleaned `data`; returns the changed case. `actor` None
    is the system (a scheduled task), for the transitions whose permission only it has.

    Raises PermissionDenied (not this person's action), CaseConflict (someone else changed the
    case since the person's page was drawn), TransitionNotPossible (not in this state) or
    ValidationError (the action's own business rule); nothing is written then."""
    step = workflow.steps[action]
    with case_claimed(queryset=workflow.queryset(), case=case, actor=actor, action=action,
                      expected_version=expected_version, label=step.label,
                      may_act_otherwise=workflow.may_act_otherwise) as fresh:
        if step.check is not None:
            step.check(fresh, data)
        now = timezone.now()
        arguments: dict[str, Any] = {name: data[name] for name in step.arguments}
        if step.stamps_time:
            arguments["at"] = now
        if step.prepare is not None:
            arguments.update(step.prepare(fresh, actor, data, now))
        from_state, from_round = fresh.state, getattr(fresh, "unit_round", 0)
        getattr(fresh, action)(**arguments)
        if step.then is not None:
            step.then(fresh, data)
        fresh.save()
        _move_clocks(workflow, step, fresh, now, new_round=getattr(fresh, "unit_round", 0) != from_round)
        moved = fresh.state != from_state  # an action that keeps the state (a progress reply) shows no arrow
        case_event_record(case=fresh, kind=step.timeline, actor=actor, action=action,
                          from_state=from_state if moved else "", to_state=fresh.state if moved else "",
                          note=step.note(data, fresh), lines=step.says(data, fresh) if step.says else None)
        _tell_the_customer(workflow, step, fresh, data, closed=moved and not fresh.is_open)
        if step.tell is not None:
            _tell_the_people(step, fresh, actor, source=f"{fresh.number}:{action}:{fresh.version}")
    return fresh


def _tell_the_people(step: Step, case: CaseT, actor: User | None, *, source: str) -> None:
    """The row's notices, in the change's transaction (mailed after commit). Never to the actor,
    who knows; never to someone who could not open the case the notice links to; a person named
    by two notices of one action gets the first (the source, unique per person, is the action's
    at this version, so a retried request tells nobody twice)."""
    told: set[int] = set() if actor is None else {actor.pk}
    for notice in step.tell(case) if step.tell is not None else ():
        people = [p for p in notice.people if p.pk not in told and can_view(p, case)]
        told.update(p.pk for p in people)
        if people:
            notify(recipients=people, case=case, source=source, message=notice.message)


def _tell_the_customer(workflow: Workflow, step: Step, case: CaseT, data: FormData, *, closed: bool) -> None:
    """The row's message to the customer, or the closing one if the action closed the case."""
    if workflow.customer_outbox is None:
        return
    message = step.tells_customer(case, data) if step.tells_customer is not None else None
    if message is None and closed and workflow.closing_message is not None:
        message = workflow.closing_message(case)
    if message is None:
        return
    customer = getattr(case, "customer")  # noqa: B009 — every kind with an outbox has a customer
    if isinstance(message, CustomerMessageWithLink):
        workflow.customer_outbox(case=case, customer=customer, subject=message.subject, text=message.text,
                                 link=message.link, survey=message.survey)
    else:
        subject, text = message
        workflow.customer_outbox(case=case, customer=customer, subject=subject, text=text)


@transaction.atomic
def case_comment(*, case: CaseT, actor: User, text: str) -> CaseEvent:
    """A comment on any case: a timeline entry, by anyone who works on the case; it changes nothing else."""
    if not can_take_part(actor, case):  # an administrator reads a case, does not take part in it
        raise PermissionDenied
    return case_event_record(case=case, kind=CaseEvent.Kind.COMMENT, actor=actor, action="comment", note=text)


def _move_clocks(workflow: Workflow, step: Step, case: CaseT, now: datetime, *, new_round: bool) -> None:
    if step.meets:
        sla.milestones_meet(case=case, kinds=list(step.meets), at=now)
    if step.assigns_unit:
        sla.milestones_assign_unit(case=case, unit=case.responsible_unit)
    case_kind, priority = case.sla_case_kind, workflow.sla_priority(case)
    owner, unit = case.first_responder, case.responsible_unit
    round_now: int = getattr(case, "unit_round", 0)
    if new_round:
        sla.milestones_end_earlier_rounds(case=case, kinds=list(workflow.round_clocks), round=round_now, at=now)
    if new_round and step.new_round_starts:
        sla.milestones_start(case=case, kinds=list(step.new_round_starts), started_at=now, round=round_now,
                             case_kind=case_kind, priority=priority, owner=owner, unit=unit)
    if step.starts:
        sla.milestones_start(case=case, kinds=list(step.starts), started_at=now, round=round_now,
                             case_kind=case_kind, priority=priority, owner=owner, unit=unit)
    if step.recomputes:
        sla.milestones_recompute(case=case, case_kind=case.sla_case_kind, priority=workflow.sla_priority(case))
    if not case.is_open:
        sla.milestones_close(case=case, at=now)
    sla.case_next_due_refresh(case=case)
