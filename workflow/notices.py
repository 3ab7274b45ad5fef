"""What the workflow tables' notices need of a case: who its desk is, and when the clock the
recipient now works against falls due. The texts themselves are the tables' (complaints/workflow.py,
proposals/workflow.py): each says what its people are to do now."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.roles import Role, desk_people_for, people_with_role, unit_handlers
from sla.models import OPEN
from sla.services import case_milestones


def case_desk(case: Any) -> list[User]:
    """The desk of a case: its owner (the first responder), or — with no owner, or one nobody logs
    in as (the portal's) — every agent, so that a callback due is never told to no one."""
    owner = case.first_responder if case.first_responder_id else None
    people = desk_people_for(owner)
    if people:
        return people
    return [person for person in people_with_role(Role.AGENT) if person.has_usable_password()]


def case_unit(case: Any) -> list[User]:
    """The handlers of the unit the case is with (nobody before dispatch)."""
    return unit_handlers(case.responsible_unit)


def case_managers(case: Any) -> list[User]:
    return people_with_role(Role.MANAGER)


def due_of(case: Any, kind: str) -> str:
    """When the case's running clock of this kind (its current round's) falls due, as the notices
    write it: local time to the minute, as the escalation notices. A kind with no running clock (no
    policy for it) reads "the deadline on the case page", which the link opens."""
    milestone = case_milestones(case=case).filter(OPEN, kind=kind).only("due_at").first()
    if milestone is None:
        return _("the deadline on the case page")
    return timezone.localtime(milestone.due_at).strftime("%Y-%m-%d %H:%M")
