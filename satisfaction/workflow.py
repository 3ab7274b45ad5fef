"""The survey's lifecycle, one row an action (seed 002 第六条–第七条, 第十二条): its form, label, timeline
entry, what it does to the answer clock, and the hooks. The states are the @transition methods of
satisfaction.surveys.Survey; who may act is the policy those methods name (the desk; expiry the
system's). Every action runs through workflow.act.case_act.

- `send` (planned → sent): the answer due time is fixed (the campaign's `answer_within_days`, or
  SURVEY_SPECIAL_ANSWER_WITHIN_DAYS without a campaign), the one-time link is issued and goes to the
  customer by e-mail and SMS, and the `survey_response` clock runs until that moment. Sent by the
  system with a complaint's closure (satisfaction.services.survey_send_with_closure), the link goes
  in the closure message instead of a message of its own.
- `remind` (sent → reminded): a new link (the earlier one stops working), sent again; the due time stays.
- `record_answers` (any open state → answered): the answers a person took on the phone or at a visit.
- `mark_unreachable` (any open state → unreachable), with the reason.
- `answer_by_link` (sent or reminded → answered): the customer's answers through the one-time link.
- `expire` (sent or reminded → expired): the due time passed without an answer (satisfaction.tasks).
Answering, expiry and unreachable stop the clock (met, or late; an unreachable customer ends it)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy

from casework import forms as common_forms
from casework.models import CaseEvent
from casework.timeline import moment, timeline_text
from sla.models import MilestoneKind
from sla.services import milestone_start_until
from workflow.steps import Step, Workflow

from . import forms
from .answers import survey_answers_store
from .choices import ContactMethod
from .links import survey_link_issue
from .outbox import customer_messages_queue, survey_link_url
from .surveys import Survey

ANSWER_CLOCK = MilestoneKind.SURVEY_RESPONSE


def answer_within_days(survey: Survey) -> int:
    """How long the customer has to answer: the campaign's days; a special survey's from the settings."""
    if survey.campaign_id is not None:
        return int(survey.campaign.answer_within_days)
    return int(settings.SURVEY_SPECIAL_ANSWER_WITHIN_DAYS)


def _due(case: Survey, actor, data, now: datetime) -> dict:
    return {"due_at": now + timedelta(days=answer_within_days(case))}


def _link_out(case: Survey, *, at: datetime, reminder: bool) -> None:
    token = survey_link_issue(survey=case, now=at)
    customer_messages_queue(survey=case, token=token, reminder=reminder)


def _sent(case: Survey, data) -> None:
    # `carry_link`: another message takes the link (a complaint's closure message), not one of the survey's own.
    carry_link = data.get("carry_link")
    if carry_link is None:
        _link_out(case, at=case.sent_at, reminder=False)
    else:
        carry_link(survey_link_url(survey_link_issue(survey=case, now=case.sent_at)))
    milestone_start_until(case=case, kind=ANSWER_CLOCK, started_at=case.sent_at, due_at=case.due_at,
                          owner=case.first_responder, unit=case.responsible_unit)


def _reminded(case: Survey, data) -> None:
    _link_out(case, at=case.reminded_at, reminder=True)


def _store_answers(case: Survey, data) -> None:
    survey_answers_store(survey=case, form=data["answers"])


# What the system says on the timeline (casework.timeline: stored in no language, shown in the reader's).
TAKEN_BY_PHONE = timeline_text("satisfaction.taken_by_phone", gettext_lazy("Answers taken by phone."))
TAKEN_AT_A_VISIT = timeline_text("satisfaction.taken_at_a_visit", gettext_lazy("Answers taken at a visit."))
LINK_SENT = timeline_text("satisfaction.link_sent", gettext_lazy("Link sent; answer due %(due)s."), due=moment)
ANSWERED_BY_LINK = timeline_text("satisfaction.answered_by_link", gettext_lazy("Answered through the one-time link."))
NO_ANSWER = timeline_text("satisfaction.no_answer", gettext_lazy("No answer by the due time."))


def _answers_taken(data, case) -> list:
    return [(TAKEN_BY_PHONE if data["method"] == ContactMethod.PHONE else TAKEN_AT_A_VISIT).line()]


SENT_WITH_CLOSURE = timeline_text("satisfaction.sent_with_closure",
                                  gettext_lazy("Sent with the closure message of complaint %(number)s."))


def _link_sent(data, case: Survey) -> list:
    # `with_closure_of`: sent by the system inside a complaint's closure (satisfaction.services).
    closure = [SENT_WITH_CLOSURE.line(number=data["with_closure_of"])] if data.get("with_closure_of") else []
    return [LINK_SENT.line(due=case.due_at), *closure]


WORKFLOW = Workflow.of(
    Step("send", gettext_lazy("Send the survey"), common_forms.NoteForm, timeline=CaseEvent.Kind.CONTACT,
         stamps_time=True, prepare=_due, then=_sent, says=_link_sent),
    Step("remind", gettext_lazy("Remind the customer"), common_forms.NoteForm, timeline=CaseEvent.Kind.CONTACT,
         stamps_time=True, then=_reminded),
    Step("record_answers", gettext_lazy("Record the answers"), forms.StaffAnswersForm,
         timeline=CaseEvent.Kind.CONTACT, stamps_time=True, prepare=lambda case, actor, data, now: {
             "answered_via": data["method"]}, then=_store_answers, says=_answers_taken,
         meets=(ANSWER_CLOCK,), form_for=forms.staff_answers_form),
    Step("mark_unreachable", gettext_lazy("Customer unreachable"), forms.UnreachableForm, stamps_time=True,
         danger=True),
    # The customer's, through the one-time link (actor None: the link is the permission; data: the
    # version and `answers`, a valid satisfaction.answers form). Offered to no person on the page.
    Step("answer_by_link", gettext_lazy("Answered through the link"), common_forms.NoteForm, stamps_time=True,
         then=_store_answers, meets=(ANSWER_CLOCK,), says=lambda data, case: [ANSWERED_BY_LINK.line()]),
    # The system's (no form is shown: its permission is nobody's, workflow.available leaves it out).
    Step("expire", gettext_lazy("Expire"), common_forms.NoteForm, stamps_time=True, meets=(ANSWER_CLOCK,),
         says=lambda data, case: [NO_ANSWER.line()]),
    queryset=lambda: Survey.objects.select_related("responsible_unit", "customer", "campaign", "template_version"),
    sla_priority=lambda case: "",
)
