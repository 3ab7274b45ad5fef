"""Who may see and do what with a complaint (SPEC §1). Views, services and the
state machine's transitions all ask here, so the rule lives in one place."""

from __future__ import annotations

from django.db.models import QuerySet

from casework.roles import Role, is_manager, is_service_desk, user_roles, user_unit_ids


def visible_complaints(user, queryset: QuerySet) -> QuerySet:
    """Agents and managers see every case; a handler only its own units' cases."""
    if is_service_desk(user):
        return queryset
    if Role.HANDLER in user_roles(user):
        return queryset.filter(responsible_unit_id__in=user_unit_ids(user))
    return queryset.none()


def can_view(user, complaint) -> bool:
    if is_service_desk(user):
        return True
    return is_unit_handler(complaint, user)


def can_register(user) -> bool:
    return is_service_desk(user)


def can_import(user) -> bool:
    """Bulk imports from other hotline systems: administrators and managers."""
    return bool(user_roles(user) & {Role.ADMIN, Role.MANAGER})


def can_comment(user, complaint) -> bool:
    return can_view(user, complaint)


# The transition permissions below have django-fsm's (instance, user) signature.


def is_service_desk_member(complaint, user) -> bool:
    """Contact, dispatch, talk the solution over with the customer, call back."""
    return is_service_desk(user)


def is_unit_handler(complaint, user) -> bool:
    """Investigate, propose and implement: only the handlers of the case's unit."""
    return (
        Role.HANDLER in user_roles(user)
        and complaint.responsible_unit_id is not None
        and complaint.responsible_unit_id in user_unit_ids(user)
    )


def is_the_manager(complaint, user) -> bool:
    """Approval, rejection and forced closure are the manager's alone."""
    return is_manager(user)
