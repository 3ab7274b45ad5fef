"""Who may see a case, and the permissions every case kind's transitions share (SPEC §1). The case
apps' policies (complaints/policy.py, proposals/policy.py) name these in their transitions and add
what only their kind has."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from casework.roles import Role, is_manager, is_service_desk, user_roles, user_unit_ids

M = TypeVar("M", bound=Model)


def visible_cases(user: Any, queryset: QuerySet[M]) -> QuerySet[M]:
    """The one visibility rule: the desk (agents and managers) sees every case; a handler only the
    cases whose responsible unit is one of theirs; an administrator every case, read-only (the
    level-3 escalations tell them, and they must be able to open what they are told of); anyone
    else none. Lookups go through it before the number, so another unit's case is a 404 and its
    number is not disclosed."""
    if is_service_desk(user) or is_administrator(user):
        return queryset
    if Role.HANDLER in user_roles(user):
        return queryset.filter(responsible_unit_id__in=user_unit_ids(user))
    return queryset.none()


def can_view(user: Any, case: Any) -> bool:
    """`visible_cases` for one case already read: who may be told of it and open its page."""
    return is_service_desk(user) or is_unit_handler(case, user) or is_administrator(user)


def can_take_part(user: Any, case: Any) -> bool:
    """Who may comment on a case and add files to it: those who work on it (the desk, the unit's
    handlers). An administrator who is not also one of them reads the case only."""
    return is_service_desk(user) or is_unit_handler(case, user)


def is_administrator(user: Any) -> bool:
    return Role.ADMIN in user_roles(user)


def can_register(user: Any) -> bool:
    """Intake is the desk's."""
    return is_service_desk(user)


# The transition permissions below have django-fsm's (instance, user) signature.


def is_service_desk_member(case: Any, user: Any) -> bool:
    """The desk's actions: talking to the customer, the desk's steps of the lifecycle."""
    return is_service_desk(user)


def is_unit_handler(case: Any, user: Any) -> bool:
    """The unit's actions: only the handlers of the unit the case is with."""
    return (
        Role.HANDLER in user_roles(user)
        and case.responsible_unit_id is not None
        and case.responsible_unit_id in user_unit_ids(user)
    )


def is_the_manager(case: Any, user: Any) -> bool:
    """The manager's own actions (approval, routing, forced closure, the extension)."""
    return is_manager(user)


def can_act_in_bulk(user: Any) -> bool:
    """Re-dispatching or closing several selected cases at once is the manager's (issue 13); each
    case's own transition permission still applies, case by case."""
    return is_manager(user)
