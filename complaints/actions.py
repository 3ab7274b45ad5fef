"""The lifecycle actions as the pages offer them: each with its form and the service it calls."""

from __future__ import annotations

from casework import forms as common_forms
from casework.actions import Action, actions_available

from . import forms, services


def _action(name, form_class, run, danger=False) -> Action:
    return Action(name, form_class, run, services.ACTION_LABELS[name], danger)


def _note(fn):
    return lambda c, a, v, d: fn(complaint=c, actor=a, expected_version=v, note=d["note"])


ACTIONS = {
    a.name: a
    for a in [
        _action("contact", forms.ContactForm, _note(services.complaint_contact)),
        _action("dispatch", forms.DispatchForm, lambda c, a, v, d: services.complaint_dispatch(
            complaint=c, actor=a, expected_version=v, unit=d["unit"], note=d["note"])),
        _action("propose_invalid", forms.ProposeInvalidForm, lambda c, a, v, d: services.complaint_propose_invalid(
            complaint=c, actor=a, expected_version=v, reason=d["reason"])),
        _action("propose", forms.ProposeForm, lambda c, a, v, d: services.complaint_propose(
            complaint=c, actor=a, expected_version=v, root_cause=d["root_cause"], solution=d["solution"],
            resolution_type=d["resolution_type"], resolution_amount=d["resolution_amount"])),
        _action("approve", common_forms.NoteForm, _note(services.complaint_approve)),
        _action("reject", common_forms.RequiredNoteForm, _note(services.complaint_reject), danger=True),
        _action("customer_agrees", common_forms.NoteForm, _note(services.complaint_customer_agrees)),
        _action("customer_disagrees", common_forms.RequiredNoteForm, _note(services.complaint_customer_disagrees)),
        _action("implement", forms.ImplementForm, lambda c, a, v, d: services.complaint_implement(
            complaint=c, actor=a, expected_version=v, report=d["report"])),
        _action("record_callback", forms.CallbackForm, lambda c, a, v, d: services.complaint_record_callback(
            complaint=c, actor=a, expected_version=v, outcome=d["outcome"], false_reply=d["false_reply"],
            note=d["note"])),
        _action("reply_progress", forms.ProgressReplyForm, _note(services.complaint_reply_progress)),
        _action("report_major", forms.MajorReportForm, lambda c, a, v, d: services.complaint_report_major(
            complaint=c, actor=a, expected_version=v, report=d["report"])),
        _action("force_close", forms.ForceCloseForm, lambda c, a, v, d: services.complaint_force_close(
            complaint=c, actor=a, expected_version=v, reason=d["reason"]), danger=True),
    ]
}


def available_actions(*, complaint, user) -> list[Action]:
    """The actions this user may take on the complaint in its current state."""
    return actions_available(ACTIONS, case=complaint, user=user)
