"""The lifecycle actions as the pages offer them: each with its form and the service it calls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django_fsm import has_transition_perm

from . import forms, services


@dataclass(frozen=True)
class Action:
    name: str
    form_class: type[forms.ActionForm]
    run: Callable  # (complaint, actor, version, cleaned_data) -> Complaint
    danger: bool = False

    @property
    def label(self):
        return services.ACTION_LABELS[self.name]


def _note(fn):
    return lambda c, a, v, d: fn(complaint=c, actor=a, expected_version=v, note=d["note"])


ACTIONS = {
    a.name: a
    for a in [
        Action("contact", forms.ContactForm, _note(services.complaint_contact)),
        Action("dispatch", forms.DispatchForm, lambda c, a, v, d: services.complaint_dispatch(
            complaint=c, actor=a, expected_version=v, unit=d["unit"], note=d["note"])),
        Action("propose_invalid", forms.ProposeInvalidForm, lambda c, a, v, d: services.complaint_propose_invalid(
            complaint=c, actor=a, expected_version=v, reason=d["reason"])),
        Action("propose", forms.ProposeForm, lambda c, a, v, d: services.complaint_propose(
            complaint=c, actor=a, expected_version=v, root_cause=d["root_cause"], solution=d["solution"],
            resolution_type=d["resolution_type"], resolution_amount=d["resolution_amount"])),
        Action("approve", forms.NoteForm, _note(services.complaint_approve)),
        Action("reject", forms.RequiredNoteForm, _note(services.complaint_reject), danger=True),
        Action("customer_agrees", forms.NoteForm, _note(services.complaint_customer_agrees)),
        Action("customer_disagrees", forms.RequiredNoteForm, _note(services.complaint_customer_disagrees)),
        Action("implement", forms.ImplementForm, lambda c, a, v, d: services.complaint_implement(
            complaint=c, actor=a, expected_version=v, report=d["report"])),
        Action("record_callback", forms.CallbackForm, lambda c, a, v, d: services.complaint_record_callback(
            complaint=c, actor=a, expected_version=v, outcome=d["outcome"], false_reply=d["false_reply"],
            note=d["note"])),
        Action("reply_progress", forms.ProgressReplyForm, _note(services.complaint_reply_progress)),
        Action("report_major", forms.MajorReportForm, lambda c, a, v, d: services.complaint_report_major(
            complaint=c, actor=a, expected_version=v, report=d["report"])),
        Action("force_close", forms.ForceCloseForm, lambda c, a, v, d: services.complaint_force_close(
            complaint=c, actor=a, expected_version=v, reason=d["reason"]), danger=True),
    ]
}


def available_actions(*, complaint, user) -> list[Action]:
    """The actions this user may take on the complaint in its current state."""
    return [a for a in ACTIONS.values() if has_transition_perm(getattr(complaint, a.name), user)]
