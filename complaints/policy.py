"""Who may see and do what with a complaint (SPEC §1). Views, services and the state machine's
transitions all ask here, so the rule lives in one place; what every case kind shares (who sees
which case, the desk's, the unit's and the manager's transitions) is workflow.policy's.

The desk contacts, dispatches, talks the solution over with the customer and calls back; the
handlers of the case's unit investigate, propose and implement; approval, rejection and forced
closure are the manager's alone."""

from __future__ import annotations

from casework.roles import Role, user_roles
from workflow.policy import can_act_in_bulk, can_register, is_service_desk_member, is_the_manager, is_unit_handler

__all__ = ["can_act_in_bulk", "can_import", "can_register", "is_service_desk_member", "is_the_manager",
           "is_unit_handler"]


def can_import(user) -> bool:
    """Bulk imports from other hotline systems: administrators and managers."""
    return bool(user_roles(user) & {Role.ADMIN, Role.MANAGER})

