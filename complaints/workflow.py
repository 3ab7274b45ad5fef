"""The complaint's lifecycle, one row an action (SPEC §3, §5): its form, label, timeline entry, the
SLA clocks it meets or starts, and who is told. The states each action leads to are the @transition
methods of complaints.models.Complaint; who may take it is the policy those methods name. Every
action runs through workflow.act.case_act."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework import forms as common_forms
from casework.models import CaseEvent
from casework.timeline import choice, timeline_text
from satisfaction.models import Callback
from satisfaction.outbox import customer_message_queue
from satisfaction.services import survey_send_with_closure
from sla.models import MilestoneKind
from workflow.notices import case_desk, case_managers, case_unit, due_of
from workflow.steps import AnyCustomerMessage, CustomerMessageWithLink, Notice, Step, Workflow

from . import customer_messages, forms, policy
from .choices import Kind, State
from .models import Complaint
from .selectors import complaint_find_repeat


def _unit_is_active(case, data) -> None:
    data["unit"].refuse_unless_taking_cases(field="unit")


def _another_active_unit(case, data) -> None:
    if data["to_unit"].pk == case.responsible_unit_id:
        raise ValidationError({"to_unit": _("The case is already with %(unit)s.") % {"unit": data["to_unit"]}})
    data["to_unit"].refuse_unless_taking_cases(field="to_unit")


# What the system says on the timeline (casework.timeline: stored in no language, shown in the reader's).
TRANSFERRED = timeline_text("complaints.transferred", gettext_lazy("Transferred to %(unit)s."))
DISPATCHED = timeline_text("complaints.dispatched", gettext_lazy("Dispatched to %(unit)s."))
REPEAT = timeline_text("complaints.repeat", gettext_lazy(
    "Repeat complaint: same customer, unit and category as %(number)s within 90 days."))
CALLBACK_OUTCOME = timeline_text("complaints.callback_outcome", "%(outcome)s", outcome=choice(Callback.Outcome))
FALSE_REPLY = timeline_text("complaints.false_reply", gettext_lazy("false reply"))


def _transfer_lines(data, case) -> list:
    return [TRANSFERRED.line(unit=case.responsible_unit)]


def _link_repeat(case, data) -> None:
    case.repeat_of = complaint_find_repeat(complaint=case)


def _dispatch_lines(data, case) -> list:
    lines = [DISPATCHED.line(unit=case.responsible_unit)]
    if case.repeat_of is not None:
        lines.append(REPEAT.line(number=case.repeat_of.number))
    return lines


def _callback_row(case, actor, data, now) -> dict:
    callback = Callback.objects.create(complaint=case, round=case.unit_round, outcome=data["outcome"],
                                       false_reply=data.get("false_reply", False), note=data.get("note", ""),
                                       called_by=actor, called_at=now)
    return {"callback": callback}


def _callback_outcome(data, case) -> list:
    """The outcome as its code (不满意 to a Chinese reader, Dissatisfied to an English one)."""
    return [CALLBACK_OUTCOME.line(outcome=data["outcome"])] + ([FALSE_REPLY.line()] if data.get("false_reply") else [])


def _on_the_spot_callback(case, actor, data, now) -> dict:
    """The customer's confirmation during the call is the callback that closes the case."""
    return {"callback": Callback.objects.create(complaint=case, round=case.unit_round, outcome=data["outcome"],
                                                note=data["note"], called_by=actor, called_at=now)}


def _closing_message(case) -> AnyCustomerMessage:
    """The closure message. The special survey this closure made to go by link
    (SURVEY_AFTER_CLOSED_COMPLAINT_METHOD=link) is sent now, in the closure's transaction, and its
    link goes in this message: one message a channel, not the closure and a survey message."""
    sent = survey_send_with_closure(complaint=case)
    if sent is None:
        return customer_messages.closing_message(case)
    survey, link = sent
    subject, text = customer_messages.closing_message(case, survey=survey)
    return CustomerMessageWithLink(subject=subject, text=text, link=link, survey=survey)


# Who is told what (workflow.steps.Notice): each notice says what its people are to do now and by
# when; its link opens the case, and case_act tells only people who may open it, never the actor.

def _kind(case) -> str:
    return _("Repair request") if case.kind == Kind.REPAIR_REQUEST else _("Complaint")


def _values(case, clock=None) -> dict:
    values = {"kind": _kind(case), "case": case.number}
    return values if clock is None else {**values, "due": due_of(case, clock)}


def _to_the_unit_for_a_solution(case) -> list[Notice]:
    """Dispatched, transferred or reopened: the unit finds the cause and proposes a solution (a
    repair request: carries out the repair) before its solution clock runs out."""
    values = _values(case, MilestoneKind.UNIT_SOLUTION)
    if case.kind == Kind.REPAIR_REQUEST:
        text = _("%(kind)s %(case)s was dispatched to your unit: carry out the repair and report the result "
                 "by %(due)s.")
    elif case.reopen_count:
        text = _("%(kind)s %(case)s was reopened and dispatched to your unit: the customer was not satisfied; "
                 "find the cause and propose a new solution by %(due)s.")
    else:
        text = _("%(kind)s %(case)s was dispatched to your unit: find the cause and propose a solution by %(due)s.")
    return [Notice(case_unit(case), text % values)]


def _transferred(case) -> list[Notice]:
    if case.kind == Kind.REPAIR_REQUEST:
        text = _("%(kind)s %(case)s was transferred to your unit: carry out the repair and report the result "
                 "by %(due)s.")
    else:
        text = _("%(kind)s %(case)s was transferred to your unit: find the cause and propose a solution by %(due)s.")
    return [Notice(case_unit(case), text % _values(case, MilestoneKind.UNIT_SOLUTION))]


def _handed_back(case) -> list[Notice]:
    return [Notice(case_desk(case), _("%(kind)s %(case)s was handed back by the unit: dispatch it to the unit "
                                      "it belongs to.") % _values(case))]


def _preliminary_reply(case) -> list[Notice]:
    return [Notice(case_desk(case), _("The unit sent a preliminary reply on %(kind)s %(case)s: read it and keep "
                                      "the customer informed.") % _values(case))]


def _approval_waiting(case) -> list[Notice]:
    if case.invalid_proposed:
        text = _("%(kind)s %(case)s is proposed for closure as invalid and waits for your approval: approve "
                 "or reject it.")
    else:
        text = _("The solution for %(kind)s %(case)s waits for your approval: approve or reject it.")
    return [Notice(case_managers(case), text % _values(case))]


def _approved(case) -> list[Notice]:
    if case.state != State.APPROVED:  # an invalid closure approved: closed, nothing left to do
        return []
    return [Notice(case_desk(case), _("The solution for %(kind)s %(case)s was approved: present it to the "
                                      "customer and record whether they agree.") % _values(case))]


def _rejected(case) -> list[Notice]:
    if case.state == State.CONTACTED:  # an invalid closure refused: back with the desk
        return [Notice(case_desk(case), _("The invalid closure of %(kind)s %(case)s was rejected: dispatch it "
                                          "to a unit.") % _values(case))]
    return [Notice(case_unit(case), _("The solution for %(kind)s %(case)s was rejected: read the manager's note "
                                      "and propose a new solution by %(due)s.")
                   % _values(case, MilestoneKind.UNIT_SOLUTION))]


def _customer_agrees(case) -> list[Notice]:
    return [Notice(case_unit(case), _("The customer agreed to the solution for %(kind)s %(case)s: carry it out "
                                      "and report the implementation by %(due)s.")
                   % _values(case, MilestoneKind.RESOLUTION))]


def _customer_disagrees(case) -> list[Notice]:
    return [Notice(case_unit(case), _("The customer disagrees with the solution for %(kind)s %(case)s: read the "
                                      "note and propose a new solution by %(due)s.")
                   % _values(case, MilestoneKind.UNIT_SOLUTION))]


def _callback_due(case) -> list[Notice]:
    return [Notice(case_desk(case), _("%(kind)s %(case)s was implemented by the unit: call the customer back "
                                      "by %(due)s and record the callback.") % _values(case, MilestoneKind.CALLBACK))]


def _after_the_callback(case) -> list[Notice]:
    """Reopened at the callback (the customer not satisfied): the case is back with the desk, which
    dispatches it again, and the unit hears that its result did not satisfy."""
    if case.state != State.CONTACTED:
        return []
    values = _values(case)
    return [Notice(case_desk(case), _("%(kind)s %(case)s was reopened after the callback: the customer is not "
                                      "satisfied; dispatch it again.") % values),
            Notice(case_unit(case), _("%(kind)s %(case)s was reopened after the callback: the customer is not "
                                      "satisfied with your unit's result. The desk will dispatch it again.") % values)]


def _status_reported(case) -> list[Notice]:
    return [Notice(case_desk(case), _("The unit reported the latest status of %(kind)s %(case)s: read it and keep "
                                      "the customer informed.") % _values(case))]


# A return to the unit (rejected, customer disagrees, transferred; handed back or reopened at the
# callback, which go to the desk first) starts a new round of the unit's clocks; the solution reply
# starts at the next dispatch when the case goes to the desk first.
BACK_TO_THE_UNIT = (MilestoneKind.UNIT_SOLUTION, MilestoneKind.RESOLUTION)
BACK_TO_THE_DESK = (MilestoneKind.RESOLUTION,)

WORKFLOW = Workflow.of(
    Step("resolve_on_the_spot", gettext_lazy("Solved during the call"), forms.OnTheSpotForm,
         timeline=CaseEvent.Kind.CALLBACK, stamps_time=True, prepare=_on_the_spot_callback,
         meets=(MilestoneKind.FIRST_CONTACT,)),
    Step("contact", gettext_lazy("Record first contact"), forms.ContactForm, timeline=CaseEvent.Kind.CONTACT,
         stamps_time=True, meets=(MilestoneKind.FIRST_CONTACT,)),
    Step("dispatch", gettext_lazy("Dispatch to a unit"), forms.DispatchForm, timeline=CaseEvent.Kind.ASSIGNMENT,
         arguments=("unit",), stamps_time=True, check=_unit_is_active, then=_link_repeat, says=_dispatch_lines,
         assigns_unit=True, starts=(MilestoneKind.UNIT_SOLUTION,), tell=_to_the_unit_for_a_solution),
    Step("transfer", gettext_lazy("Transfer to another unit"), forms.TransferForm, timeline=CaseEvent.Kind.ASSIGNMENT,
         arguments=("to_unit",), stamps_time=True, check=_another_active_unit, says=_transfer_lines,
         assigns_unit=True, new_round_starts=BACK_TO_THE_UNIT, tell=_transferred),
    Step("hand_back", gettext_lazy("Hand back to the desk"), forms.HandBackForm, new_round_starts=BACK_TO_THE_DESK,
         assigns_unit=True, tell=_handed_back),
    Step("reply_preliminary", gettext_lazy("Preliminary reply"), forms.PreliminaryReplyForm,
         meets=(MilestoneKind.UNIT_SOLUTION,), tell=_preliminary_reply),
    Step("propose_invalid", gettext_lazy("Propose invalid closure"), forms.ProposeInvalidForm,
         arguments=("reason",), note=lambda data, case: data["reason"], tell=_approval_waiting),
    Step("propose", gettext_lazy("Propose a solution"), forms.ProposeForm,
         arguments=("root_cause", "solution", "resolution_type", "resolution_amount"),
         note=lambda data, case: data["solution"], meets=(MilestoneKind.UNIT_SOLUTION,), tell=_approval_waiting),
    Step("approve", gettext_lazy("Approve"), common_forms.NoteForm, stamps_time=True, tell=_approved),
    Step("reject", gettext_lazy("Reject"), common_forms.RequiredNoteForm, danger=True,
         new_round_starts=BACK_TO_THE_UNIT, tell=_rejected),
    Step("customer_agrees", gettext_lazy("Customer agrees"), common_forms.NoteForm,
         meets=(MilestoneKind.PROGRESS_REPLY,), tell=_customer_agrees),
    Step("customer_disagrees", gettext_lazy("Customer disagrees"), common_forms.RequiredNoteForm,
         meets=(MilestoneKind.PROGRESS_REPLY,), new_round_starts=BACK_TO_THE_UNIT, tell=_customer_disagrees),
    Step("implement", gettext_lazy("Report implementation"), forms.ImplementForm, arguments=("report",),
         stamps_time=True, note=lambda data, case: data["report"],
         meets=(MilestoneKind.UNIT_SOLUTION, MilestoneKind.RESOLUTION),
         starts=(MilestoneKind.CALLBACK,), tell=_callback_due),
    Step("record_callback", gettext_lazy("Record callback"), forms.CallbackForm, timeline=CaseEvent.Kind.CALLBACK,
         stamps_time=True, prepare=_callback_row, says=_callback_outcome, meets=(MilestoneKind.CALLBACK,),
         new_round_starts=BACK_TO_THE_DESK, tell=_after_the_callback),
    Step("reply_progress", gettext_lazy("Progress reply to the customer"), forms.ProgressReplyForm,
         timeline=CaseEvent.Kind.CONTACT, meets=(MilestoneKind.PROGRESS_REPLY,),
         tells_customer=customer_messages.progress_message),
    Step("report_status", gettext_lazy("Report the latest status"), forms.StatusReportForm, tell=_status_reported),
    Step("report_major", gettext_lazy("File the major-complaint report"), forms.MajorReportForm,
         note=lambda data, case: data["report"], meets=(MilestoneKind.MAJOR_REPORT,)),
    Step("force_close", gettext_lazy("Force close"), forms.ForceCloseForm, arguments=("reason",), stamps_time=True,
         note=lambda data, case: data["reason"], danger=True),
    queryset=lambda: Complaint.objects.select_related("responsible_unit", "customer"),
    may_act_otherwise=policy.is_service_desk_member,
    round_clocks=(MilestoneKind.UNIT_SOLUTION, MilestoneKind.RESOLUTION, MilestoneKind.CALLBACK),
    customer_outbox=customer_message_queue,
    closing_message=_closing_message,
)
