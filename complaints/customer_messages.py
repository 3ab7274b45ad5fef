"""What a complaint tells its customer (seed 001: the customer is told the case number and the
expected handling time at registration, each progress reply, and the closure): short texts in the
site's default language (the customer's is not known), with no staff names and no internal notes.
They are queued by `satisfaction.outbox.customer_message_queue` — at registration by
`complaints.services.complaint_register`, on the workflow table's rows (`tells_customer`,
`closing_message`) by `workflow.act.case_act`."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from satisfaction.outbox import customer_language
from sla.models import MilestoneKind
from sla.services import case_clock_due

from .choices import ClosureType


def registered_message(case: Any) -> tuple[str, str]:
    """The case number and the expected handling time (the resolution clock's due time)."""
    due = case_clock_due(case=case, kind=MilestoneKind.RESOLUTION)
    with customer_language():
        values = {"number": case.number,
                  "due": timezone.localtime(due).strftime("%Y-%m-%d") if due else ""}
        subject = _("Your case %(number)s is registered") % values
        text = _("We have registered your case %(number)s.") % values
        if values["due"]:
            text += " " + _("We expect to have it handled by %(due)s.") % values
        text += " " + _("Please quote the number %(number)s when you contact us.") % values
    return subject, text


def progress_message(case: Any, data: dict[str, Any]) -> tuple[str, str]:
    """The progress reply: what the desk told the customer, as they wrote it for the customer."""
    with customer_language():
        values = {"number": case.number, "note": data.get("note", "").strip()}
        return _("Progress on your case %(number)s") % values, _("Progress on your case %(number)s: %(note)s") % values


def closing_message(case: Any) -> tuple[str, str]:
    """The closure, whichever way it closed; the satisfaction survey announced if one is planned."""
    with customer_language():
        values = {"number": case.number}
        subject = _("Your case %(number)s is closed") % values
        if case.closure_type == ClosureType.SATISFIED:
            text = _("Your case %(number)s is closed. Thank you for confirming the solution.") % values
        else:
            text = _("Your case %(number)s is closed. If you have any question, please call our hotline.") % values
        if case.surveys.exists():
            text += " " + _("We will send you a short satisfaction survey with its own link.")
    return subject, text
