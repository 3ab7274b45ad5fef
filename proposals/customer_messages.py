"""What a proposal tells its customer: its number and when they will have the answer (the feedback
clock) at registration, the desk's thanks (with the expected time and unit, as the desk wrote them)
at acknowledgement, the decision (with the plan if adopted) at feedback, and the closure.
Short texts in the site's default language, no staff names, no internal notes (the unit's opinion
stays inside). Queued by `satisfaction.outbox.customer_message_queue`: at registration by
`proposals.services.proposal_register`, on the workflow table's rows by `workflow.act.case_act`."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from satisfaction.outbox import customer_language
from sla.models import MilestoneKind
from sla.services import case_clock_due

from .choices import Decision

MEASURES_SHOWN = 300


def registered_message(case: Any) -> tuple[str, str]:
    due = case_clock_due(case=case, kind=MilestoneKind.PROPOSAL_FEEDBACK)
    with customer_language():
        values = {"number": case.number,
                  "due": timezone.localtime(due).strftime("%Y-%m-%d") if due else ""}
        subject = _("Your proposal %(number)s is registered") % values
        text = _("Thank you: we have registered your proposal %(number)s.") % values
        if values["due"]:
            text += " " + _("We expect to give you our answer by %(due)s.") % values
    return subject, text


def acknowledgement_message(case: Any, data: dict[str, Any]) -> tuple[str, str]:
    """The desk's thanks: what it wrote for the customer (the `acknowledge` form's note)."""
    with customer_language():
        values = {"number": case.number, "note": data.get("note", "").strip()}
        return (_("Thank you for your proposal %(number)s") % values,
                _("Thank you for your proposal %(number)s: %(note)s") % values)


def decision_message(case: Any, data: dict[str, Any]) -> tuple[str, str]:
    with customer_language():
        values = {"number": case.number, "measures": case.measures.strip()[:MEASURES_SHOWN],
                  "date": case.planned_implementation_on.strftime("%Y-%m-%d") if case.planned_implementation_on else ""}
        subject = _("The decision on your proposal %(number)s") % values
        if case.decision == Decision.ADOPTED:
            text = _("Your proposal %(number)s has been adopted. Planned implementation: %(date)s. "
                     "Measures: %(measures)s") % values
        else:
            text = _("Your proposal %(number)s was not adopted, and it is now closed. Thank you for "
                     "sharing it with us.") % values
    return subject, text


def closing_message(case: Any) -> tuple[str, str]:
    with customer_language():
        values = {"number": case.number}
        return (_("Your proposal %(number)s is closed") % values,
                _("Your proposal %(number)s is closed. Thank you for helping us improve.") % values)
