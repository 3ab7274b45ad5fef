"""Who may plan surveys (seed 002 第十条–第十二条): the one place the planning pages and services ask.

The desk (agents and managers) proposes a campaign and trims its list; only a manager approves it,
because approval is what lets the surveys go out to customers. Questionnaires are the manager's too:
a new version changes what every later survey asks."""

from __future__ import annotations

from typing import Any

from casework.roles import is_manager, is_service_desk


def can_plan_campaigns(user: Any) -> bool:
    return is_service_desk(user)


def can_approve_campaigns(user: Any) -> bool:
    return is_manager(user)


def can_edit_questionnaires(user: Any) -> bool:
    return is_manager(user)
