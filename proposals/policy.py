"""Who may see and do what with a proposal (SPEC §1, §4). Views, services and the state machine's
transitions all ask here; what every case kind shares (who sees which case, the desk's, the unit's
and the manager's transitions) is workflow.policy's.

The desk thanks the customer, suggests a unit, tells the customer the decision and closes; the
handlers of the unit the proposal was routed to evaluate and implement; routing, archiving and the
one extension are the manager's."""

from __future__ import annotations

from casework.roles import Role, user_roles
from workflow.policy import can_act_in_bulk, can_register, is_service_desk_member, is_the_manager, is_unit_handler

__all__ = ["can_act_in_bulk", "can_register", "is_service_desk_member", "is_the_manager", "is_unit_handler"]



def can_import(user) -> bool:
    """Bulk imports of history from other systems: administrators and managers, as for complaints."""
    return bool(user_roles(user) & {Role.ADMIN, Role.MANAGER})
