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
from casework.roles import Role, desk_people_for, people_with_role, unit_handlers
from casework.timeline import choice, timeline_text
from satisfaction.models import Callback
from satisfaction.outbox import customer_message_queue
from sla.models import MilestoneKind
from workflow.steps import Step, Workflow

from . import customer_messages, forms, policy
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


def _transferred(data, case) -> list:
    return [TRANSFERRED.line(unit=case.responsible_unit)]


def _link_repeat(case, data) -> None:
    case.repeat_of = complaint_find_repeat(complaint=case)


def _dispatched(data, case) -> list:
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


def _the_unit(case):
    return unit_handlers(case.responsible_unit)


def _the_managers(case):
    return people_with_role(Role.MANAGER)


def _the_desk(case):
    return desk_people_for(case.first_responder) if case.first_responder_id else []


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
         arguments=("unit",), stamps_time=True, check=_unit_is_active, then=_link_repeat, says=_dispatched,
         assigns_unit=True, starts=(MilestoneKind.UNIT_SOLUTION,), tell=_the_unit),
    Step("transfer", gettext_lazy("Transfer to another unit"), forms.TransferForm, timeline=CaseEvent.Kind.ASSIGNMENT,
         arguments=("to_unit",), stamps_time=True, check=_another_active_unit, says=_transferred,
         assigns_unit=True, new_round_starts=BACK_TO_THE_UNIT, tell=_the_unit),
    Step("hand_back", gettext_lazy("Hand back to the desk"), forms.HandBackForm, new_round_starts=BACK_TO_THE_DESK,
         assigns_unit=True, tell=_the_desk),
    Step("reply_preliminary", gettext_lazy("Preliminary reply"), forms.PreliminaryReplyForm,
         meets=(MilestoneKind.UNIT_SOLUTION,), tell=_the_desk),
    Step("propose_invalid", gettext_lazy("Propose invalid closure"), forms.ProposeInvalidForm,
         arguments=("reason",), note=lambda data, case: data["reason"], tell=_the_managers),
    Step("propose", gettext_lazy("Propose a solution"), forms.ProposeForm,
         arguments=("root_cause", "solution", "resolution_type", "resolution_amount"),
         note=lambda data, case: data["solution"], meets=(MilestoneKind.UNIT_SOLUTION,), tell=_the_managers),
    Step("approve", gettext_lazy("Approve"), common_forms.NoteForm, stamps_time=True),
    Step("reject", gettext_lazy("Reject"), common_forms.RequiredNoteForm, danger=True,
         new_round_starts=BACK_TO_THE_UNIT, tell=_the_unit),
    Step("customer_agrees", gettext_lazy("Customer agrees"), common_forms.NoteForm,
         meets=(MilestoneKind.PROGRESS_REPLY,), tell=_the_unit),
    Step("customer_disagrees", gettext_lazy("Customer disagrees"), common_forms.RequiredNoteForm,
         meets=(MilestoneKind.PROGRESS_REPLY,), new_round_starts=BACK_TO_THE_UNIT, tell=_the_unit),
    Step("implement", gettext_lazy("Report implementation"), forms.ImplementForm, arguments=("report",),
         stamps_time=True, note=lambda data, case: data["report"],
         meets=(MilestoneKind.UNIT_SOLUTION, MilestoneKind.RESOLUTION),
         starts=(MilestoneKind.CALLBACK,), tell=_the_desk),
    Step("record_callback", gettext_lazy("Record callback"), forms.CallbackForm, timeline=CaseEvent.Kind.CALLBACK,
         stamps_time=True, prepare=_callback_row, says=_callback_outcome, meets=(MilestoneKind.CALLBACK,),
         new_round_starts=BACK_TO_THE_DESK),
    Step("reply_progress", gettext_lazy("Progress reply to the customer"), forms.ProgressReplyForm,
         timeline=CaseEvent.Kind.CONTACT, meets=(MilestoneKind.PROGRESS_REPLY,),
         tells_customer=customer_messages.progress_message),
    Step("report_status", gettext_lazy("Report the latest status"), forms.StatusReportForm, tell=_the_desk),
    Step("report_major", gettext_lazy("File the major-complaint report"), forms.MajorReportForm,
         note=lambda data, case: data["report"], meets=(MilestoneKind.MAJOR_REPORT,)),
    Step("force_close", gettext_lazy("Force close"), forms.ForceCloseForm, arguments=("reason",), stamps_time=True,
         note=lambda data, case: data["reason"], danger=True),
    queryset=lambda: Complaint.objects.select_related("responsible_unit", "customer"),
    may_act_otherwise=policy.is_service_desk_member,
    round_clocks=(MilestoneKind.UNIT_SOLUTION, MilestoneKind.RESOLUTION, MilestoneKind.CALLBACK),
    customer_outbox=customer_message_queue,
    closing_message=customer_messages.closing_message,
)
