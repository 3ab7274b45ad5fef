"""What the customer sees of their case on /portal/track/: a whitelist of timeline steps.

The timeline (casework.models.CaseEvent) is the staff's record: comments, internal notes, the
unit's proposals of solutions, rejections, status reports, escalations, who did what. The
customer sees only the steps listed here, each with a label written for them, and the step's
note only where the note IS the text written for the customer. Anything not listed (a new
workflow action included) is not shown until someone decides it should be. Actors are never
shown. A step that ends the case (to_state closed/archived) is followed by a "closed" line
with the closure in the customer's words; its note (a forced closure's reason…) is not shown.

Complaints (complaints.workflow.WORKFLOW):
  register            shown: "registered" — the note is the channel, not needed.
  contact             shown, no note: "What was said" is the desk's summary of the call.
  resolve_on_the_spot shown with note: "How it was solved during the call" is the solution told
                      to the customer and confirmed by them.
  dispatch, transfer  shown, no note: the note holds instructions to the unit, repeat flags.
  reply_progress      shown with note: the form's field is "What the customer was told".
  customer_agrees/    shown, no note: the customer's own answer; the note is the desk's.
  customer_disagrees
  implement           shown, no note ("the solution was carried out"); the report is the unit's to
                      the desk. For a repair request it is the repair done.
  record_callback     shown, no note: the outcome and note are the desk's record of the call.
  Not shown: hand_back, reply_preliminary (unit → desk), propose / propose_invalid (solutions
  and reasons for the manager), approve, reject (manager's notes), report_status (unit → desk),
  report_major (manager's report), force_close's reason, comment, update_details, escalations,
  attachments.
Proposals (proposals.workflow.WORKFLOW):
  register            shown: "received".
  acknowledge         shown with note: "What the customer was told (thanks, expected time and unit)".
  route               shown, no note (the note is for the unit).
  feedback            shown with note: "What the customer was told" — the decision.
  implement           shown, no note (the report is the unit's).
  Not shown: suggest_unit, evaluate (the unit's opinion, for the manager), report_schedule,
  send_back, extend, archive's reason, close's note, comment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from casework.services import case_timeline
from complaints.choices import ClosureType
from complaints.models import Complaint
from proposals.models import Proposal


@dataclass(frozen=True)
class Shown:
    label: Promise
    with_note: bool = False


COMPLAINT_STEPS: dict[str, Shown] = {
    "register": Shown(_("We registered your complaint")),
    "contact": Shown(_("We contacted you")),
    "resolve_on_the_spot": Shown(_("Solved during your call"), with_note=True),
    "dispatch": Shown(_("Passed to the department responsible")),
    "transfer": Shown(_("Passed to another department responsible")),
    "reply_progress": Shown(_("Our reply to you"), with_note=True),
    "customer_agrees": Shown(_("You agreed to the proposed solution")),
    "customer_disagrees": Shown(_("You did not agree to the proposed solution; we are looking at it again")),
    "implement": Shown(_("The solution was carried out")),
    "record_callback": Shown(_("We called you back")),
}

PROPOSAL_STEPS: dict[str, Shown] = {
    "register": Shown(_("We received your proposal")),
    "acknowledge": Shown(_("We thanked you for your proposal"), with_note=True),
    "route": Shown(_("Passed to the department responsible for review")),
    "feedback": Shown(_("Our answer to your proposal"), with_note=True),
    "implement": Shown(_("Your proposal was put into practice")),
}

STEPS = {Complaint: COMPLAINT_STEPS, Proposal: PROPOSAL_STEPS}
CLOSED_STATES = {"closed", "archived"}

COMPLAINT_CLOSURE = {
    ClosureType.SATISFIED: _("Closed: you confirmed that the matter was resolved"),
    ClosureType.INVALID: _("Closed: we could not accept the complaint"),
    ClosureType.FORCED: _("Closed by our customer service management"),
    ClosureType.UNREACHABLE: _("Closed: we could not reach you by phone"),
}


@dataclass(frozen=True)
class Line:
    at: datetime
    label: str
    text: str = ""


def closure_label(case: Complaint | Proposal) -> Promise:
    if isinstance(case, Complaint):
        return COMPLAINT_CLOSURE.get(case.closure_type, _("Closed"))
    if case.state == "archived":
        return _("Closed: filed without further review")
    return _("Closed")


def customer_steps(case: Complaint | Proposal) -> list[Line]:
    """The case's timeline as the customer may see it, oldest first."""
    steps = STEPS[type(case)]
    lines: list[Line] = []
    for event in case_timeline(case=case):
        shown = steps.get(event.action)
        if shown is not None:
            lines.append(Line(at=event.created_at, label=str(shown.label),
                              text=event.note if shown.with_note else ""))
        if event.to_state in CLOSED_STATES and event.to_state == case.state:
            lines.append(Line(at=event.created_at, label=str(closure_label(case))))
    return lines


def handled_by(case: Complaint | Proposal) -> str:
    """The unit's name while the case is with it (never a person's)."""
    unit = case.responsible_unit
    return unit.name if unit is not None and case.is_open else ""


def case_find(*, number: str, phone: str) -> Complaint | Proposal | None:
    """The complaint or proposal with this number whose customer has this phone; else None."""
    for model in (Complaint, Proposal):
        case = (model.objects.select_related("customer", "responsible_unit")  # type: ignore[attr-defined]
                .filter(number=number, customer__phone=phone).first())
        if case is not None:
            return case
    return None
