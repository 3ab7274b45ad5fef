"""What a complaint tells its customer (seed 001: the customer is told the case number and the
expected handling time at registration, each progress reply, and the closure, with the satisfaction
survey's link when one is sent with it): short texts in the site's default language (the customer's
is not known), with no staff names and no internal notes. They are queued by
`satisfaction.outbox.customer_message_queue` — at registration by
`complaints.services.complaint_register`, on the workflow table's rows (`tells_customer`,
`closing_message`) by `workflow.act.case_act`."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from satisfaction.outbox import LINK_PLACEHOLDER, customer_language
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


def closing_message(case: Any, *, survey: Any = None) -> tuple[str, str]:
    """The closure, whichever way it closed. With `survey`, sent with this message, its link in a
    paragraph of its own (the outbox puts it in place of LINK_PLACEHOLDER, or leaves the paragraph
    out if the link is withdrawn before delivery); else the satisfaction survey announced if one is
    planned."""
    with customer_language():
        values = {"number": case.number}
        subject = _("Your case %(number)s is closed") % values
        if case.closure_type == ClosureType.SATISFIED:
            text = _("Your case %(number)s is closed. Thank you for confirming the solution.") % values
        else:
            text = _("Your case %(number)s is closed. If you have any question, please call our hotline.") % values
        if survey is not None:
            text += "\n\n" + _("Please tell us how satisfied you are with how we handled it: survey %(survey)s, "
                                "open until %(due)s. Open this link (it works once): %(link)s") % {
                "survey": survey.number, "due": timezone.localtime(survey.due_at).strftime("%Y-%m-%d"),
                "link": LINK_PLACEHOLDER}
        elif case.surveys.exists():
            # The survey planned after a major complaint (or by setting) is a phone call, not a link.
            text += " " + _("We may call you to ask how satisfied you are with how we handled it.")
    return subject, text
