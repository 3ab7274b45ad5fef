"""The proposal's lifecycle, one row an action (SPEC §4): its form, label, timeline entry, what it
does to the feedback clock, and who is told. The states are the @transition methods of
proposals.models.Proposal; who may act is the policy those methods name. Every action runs through
workflow.act.case_act."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework import forms as common_forms
from casework.models import CaseEvent
from casework.timeline import choice, day, timeline_text
from satisfaction.outbox import customer_message_queue
from sla.models import MilestoneKind
from sla.services import case_milestones
from workflow.notices import case_desk, case_managers, case_unit, due_of
from workflow.steps import Notice, Step, Workflow

from . import customer_messages, forms, policy
from .choices import Decision, State
from .models import Proposal

# What a proposal not adopted keeps of the plan: nothing. (The research schedule is about the
# research, whatever its result, so it is not part of the plan.)
UNPLANNED = {"planned_implementation_on": None, "measures": ""}


def _unit_is_active(case, data) -> None:
    data["unit"].refuse_unless_taking_cases(field="unit")


# What the system says on the timeline (casework.timeline: stored in no language, shown in the reader's).
SUGGESTED_UNIT = timeline_text("proposals.suggested_unit", gettext_lazy("Suggested unit: %(unit)s."))
ROUTED = timeline_text("proposals.routed", gettext_lazy("Routed to %(unit)s."))
DECISION = timeline_text("proposals.decision", "%(decision)s", decision=choice(Decision))
RESEARCH_PLANNED = timeline_text("proposals.research_planned",
                                 gettext_lazy("Research planned to finish on %(date)s."), date=day)


def _unit_line(text):
    return lambda data, case: [text.line(unit=data["unit"])]


def _check_evaluation(case, data) -> None:
    """Checked after the actor's right to evaluate. Adopting needs a plan: a date, not in the past,
    and measures (the customer is told both with the decision). Research that ran over its month
    from routing needs its schedule, given now if the unit did not report one while researching."""
    errors = {}
    if case.research_overran() and not case.research_schedule_filed and not data.get("research_schedule", "").strip():
        due = date_format(timezone.localdate(case.research_due_at))
        errors["research_schedule"] = _("The research has run over a month since routing (due %(due)s): "
                                        "report its schedule.") % {"due": due}
    if data["decision"] == Decision.ADOPTED:
        planned = data.get("planned_implementation_on")
        if planned is None:
            errors["planned_implementation_on"] = _("An adopted proposal needs a planned implementation date.")
        elif planned < timezone.localdate():
            errors["planned_implementation_on"] = _("The planned implementation date cannot be in the past.")
        if not data.get("measures", "").strip():
            errors["measures"] = _("Say which measures will be taken.")
    if errors:
        raise ValidationError(errors)


def _check_schedule(case, data) -> None:
    if data["planned_completion_on"] < timezone.localdate():
        raise ValidationError({"planned_completion_on": _("The research cannot be planned to finish in the past.")})


def _schedule_line(data, case) -> list:
    return [RESEARCH_PLANNED.line(date=data["planned_completion_on"])]


def _plan_only_if_adopted(case, actor, data, now) -> dict:
    return {} if data["decision"] == Decision.ADOPTED else UNPLANNED


def _refuse_if_feedback_overdue(case, data) -> None:
    """An extension does not turn a missed deadline into a met one."""
    if case_milestones(case=case).filter(kind=MilestoneKind.PROPOSAL_FEEDBACK, due_at__lte=timezone.now()).exists():
        raise ValidationError(_("The feedback deadline has already passed: it can no longer be extended."))


# Who is told what (workflow.steps.Notice): each notice says what its people are to do now and by
# when; its link opens the proposal, and case_act tells only people who may open it, never the actor.

def _values(case, **more) -> dict:
    return {"case": case.number, **more}


def _feedback_due(case) -> str:
    return due_of(case, MilestoneKind.PROPOSAL_FEEDBACK)


def _unit_suggested(case) -> list[Notice]:
    return [Notice(case_managers(case), _("Proposal %(case)s has a suggested unit: route it to a unit.")
                   % _values(case))]


def _routed(case) -> list[Notice]:
    return [Notice(case_unit(case), _("Proposal %(case)s was routed to your unit: study it and record your "
                                      "evaluation; the customer is to hear the decision by %(due)s.")
                   % _values(case, due=_feedback_due(case)))]


def _evaluated(case) -> list[Notice]:
    """The unit's evaluation waits for the manager (who may send it back) and for the desk, who
    tells the customer the decision before the feedback clock runs out."""
    values = _values(case, due=_feedback_due(case))
    return [Notice(case_managers(case), _("The unit's evaluation of proposal %(case)s waits for your review: "
                                          "send it back to the unit if it falls short.") % values),
            Notice(case_desk(case), _("The unit has evaluated proposal %(case)s: tell the customer the decision "
                                      "by %(due)s.") % values)]


def _schedule_reported(case) -> list[Notice]:
    return [Notice(case_managers(case), _("The unit reported the research schedule of proposal %(case)s: read it "
                                          "on the proposal's page.") % _values(case))]


def _decision_told(case) -> list[Notice]:
    if case.state == State.ADOPTED:
        planned = case.planned_implementation_on
        return [Notice(case_unit(case), _("The customer was told that proposal %(case)s is adopted: implement it "
                                          "(planned for %(date)s) and report the implementation.")
                       % _values(case, date=date_format(planned, "Y-m-d") if planned else "—"))]
    return [Notice(case_unit(case), _("The customer was told that proposal %(case)s is not adopted; it is closed.")
                   % _values(case))]


def _implemented(case) -> list[Notice]:
    return [Notice(case_desk(case), _("Proposal %(case)s was implemented by the unit: confirm it with the customer "
                                      "and close the proposal.") % _values(case))]


def _sent_back(case) -> list[Notice]:
    return [Notice(case_unit(case), _("The evaluation of proposal %(case)s was sent back: read the manager's note "
                                      "and evaluate it again; the customer is to hear the decision by %(due)s.")
                   % _values(case, due=_feedback_due(case)))]


WORKFLOW = Workflow.of(
    Step("acknowledge", gettext_lazy("Thank the customer"), forms.AcknowledgeForm, timeline=CaseEvent.Kind.CONTACT,
         stamps_time=True, tells_customer=customer_messages.acknowledgement_message),
    Step("suggest_unit", gettext_lazy("Suggest a unit"), forms.UnitForm, timeline=CaseEvent.Kind.COMMENT,
         arguments=("unit",), check=_unit_is_active, says=_unit_line(SUGGESTED_UNIT),
         tell=_unit_suggested),
    Step("route", gettext_lazy("Route to a unit"), forms.UnitForm, timeline=CaseEvent.Kind.ASSIGNMENT,
         arguments=("unit",), stamps_time=True, check=_unit_is_active, says=_unit_line(ROUTED),
         assigns_unit=True, tell=_routed),
    Step("evaluate", gettext_lazy("Record the evaluation"), forms.EvaluateForm,
         arguments=("decision", "opinion", "planned_implementation_on", "measures", "research_schedule"),
         stamps_time=True, check=_check_evaluation, prepare=_plan_only_if_adopted,
         says=lambda data, case: [DECISION.line(decision=data["decision"])], note=lambda data, case: data["opinion"],
         tell=_evaluated),
    Step("report_schedule", gettext_lazy("Report the research schedule"), forms.ResearchScheduleForm,
         arguments=("planned_completion_on", "schedule"), stamps_time=True, check=_check_schedule,
         says=_schedule_line, note=lambda data, case: data["schedule"], tell=_schedule_reported),
    Step("feedback", gettext_lazy("Tell the customer the decision"), forms.FeedbackForm,
         timeline=CaseEvent.Kind.CONTACT, arguments=("handling_satisfaction",), stamps_time=True,
         meets=(MilestoneKind.PROPOSAL_FEEDBACK,), tell=_decision_told,
         tells_customer=customer_messages.decision_message),
    Step("implement", gettext_lazy("Report implementation"), forms.ImplementForm,
         arguments=("report", "cost_reduction"), stamps_time=True, note=lambda data, case: data["report"],
         tell=_implemented),
    Step("close", gettext_lazy("Close"), common_forms.NoteForm, stamps_time=True),
    Step("send_back", gettext_lazy("Send back to the unit"), common_forms.RequiredNoteForm, danger=True,
         tell=_sent_back),
    Step("extend", gettext_lazy("Extend to 15 working days"), forms.ReasonForm, timeline=CaseEvent.Kind.COMMENT,
         check=_refuse_if_feedback_overdue, note=lambda data, case: data["reason"], recomputes=True),
    Step("archive", gettext_lazy("Archive"), forms.ReasonForm, arguments=("reason",), stamps_time=True,
         note=lambda data, case: data["reason"], danger=True),
    queryset=lambda: Proposal.objects.select_related("responsible_unit", "customer"),
    may_act_otherwise=policy.is_service_desk_member,
    sla_priority=lambda case: case.sla_priority,
    customer_outbox=customer_message_queue,
    closing_message=customer_messages.closing_message,
)
