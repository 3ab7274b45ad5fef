"""Who may see and do what with a proposal (SPEC §1, §4). Views, services and the
state machine's transitions all ask here."""

from __future__ import annotations

from django.db.models import QuerySet

from casework.roles import Role, is_manager, is_service_desk, user_roles, user_unit_ids


def visible_proposals(user, queryset: QuerySet) -> QuerySet:
    """Agents and managers see every proposal; a handler only those routed to its units."""
    if is_service_desk(user):
        return queryset
    if Role.HANDLER in user_roles(user):
        return queryset.filter(responsible_unit_id__in=user_unit_ids(user))
    return queryset.none()


def can_register(user) -> bool:
    return is_service_desk(user)


def can_comment(user, proposal) -> bool:
    return is_service_desk(user) or is_unit_handler(proposal, user)


# The transition permissions below have django-fsm's (instance, user) signature.


def is_service_desk_member(proposal, user) -> bool:
    """Thank the customer, suggest a unit, tell the customer the decision, close."""
    return is_service_desk(user)


def is_unit_handler(proposal, user) -> bool:
    """Evaluate and implement: only the handlers of the unit the proposal was routed to."""
    return (
        Role.HANDLER in user_roles(user)
        and proposal.responsible_unit_id is not None
        and proposal.responsible_unit_id in user_unit_ids(user)
    )


def is_the_manager(proposal, user) -> bool:
    """Routing, archiving and the one extension are the manager's."""
    return is_manager(user)
