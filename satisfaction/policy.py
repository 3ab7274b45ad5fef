"""Who may do what with surveys. The desk (agents and managers) takes every step of a survey
(workflow.policy.is_service_desk_member); a handler sees the surveys rating their unit
(workflow.policy.visible_cases) and acts on none; expiry is the system's alone. The system also
sends a special survey whose link goes in its complaint's closure message."""

from __future__ import annotations

from typing import Any

from casework.roles import is_service_desk


def is_the_system(case: Any, user: Any) -> bool:
    """A transition only a scheduled task takes (no person): offered to nobody on the page."""
    return user is None


def may_send(case: Any, user: Any) -> bool:
    """The desk sends a survey; the system sends a special survey itself when the closure of its
    complaint carries the link (SURVEY_AFTER_CLOSED_COMPLAINT_METHOD=link): nobody pressed "send",
    so no person is named for it."""
    return is_service_desk(user) or (user is None and case.complaint_id is not None and case.campaign_id is None)


def may_see_customer_contact(user: Any) -> bool:
    """The customer's full address and number in the survey's outbox: the desk's, who talk to the
    customer; a handler sees them masked."""
    return is_service_desk(user)
