"""The proposal lifecycle's actions as the pages offer them: each with its form and service."""

from __future__ import annotations

from casework import forms as common_forms
from casework.actions import Action, actions_available

from . import forms, services


def _action(name, form_class, run, danger=False):
    return Action(name, form_class, run, services.ACTION_LABELS[name], danger)


ACTIONS = {
    a.name: a
    for a in [
        _action("acknowledge", forms.AcknowledgeForm, lambda p, a, v, d: services.proposal_acknowledge(
            proposal=p, actor=a, expected_version=v, note=d["note"])),
        _action("suggest_unit", forms.UnitForm, lambda p, a, v, d: services.proposal_suggest_unit(
            proposal=p, actor=a, expected_version=v, unit=d["unit"], note=d["note"])),
        _action("route", forms.UnitForm, lambda p, a, v, d: services.proposal_route(
            proposal=p, actor=a, expected_version=v, unit=d["unit"], note=d["note"])),
        _action("evaluate", forms.EvaluateForm, lambda p, a, v, d: services.proposal_evaluate(
            proposal=p, actor=a, expected_version=v, decision=d["decision"], opinion=d["opinion"],
            planned_implementation_on=d["planned_implementation_on"], measures=d["measures"],
            research_schedule=d["research_schedule"])),
        _action("feedback", forms.FeedbackForm, lambda p, a, v, d: services.proposal_feedback(
            proposal=p, actor=a, expected_version=v, handling_satisfaction=d["handling_satisfaction"],
            note=d["note"])),
        _action("implement", forms.ImplementForm, lambda p, a, v, d: services.proposal_implement(
            proposal=p, actor=a, expected_version=v, report=d["report"], cost_reduction=d["cost_reduction"])),
        _action("close", common_forms.NoteForm, lambda p, a, v, d: services.proposal_close(
            proposal=p, actor=a, expected_version=v, note=d["note"])),
        _action("send_back", common_forms.RequiredNoteForm, lambda p, a, v, d: services.proposal_send_back(
            proposal=p, actor=a, expected_version=v, note=d["note"]), danger=True),
        _action("extend", forms.ReasonForm, lambda p, a, v, d: services.proposal_extend(
            proposal=p, actor=a, expected_version=v, reason=d["reason"])),
        _action("archive", forms.ReasonForm, lambda p, a, v, d: services.proposal_archive(
            proposal=p, actor=a, expected_version=v, reason=d["reason"]), danger=True),
    ]
}


def available_actions(*, proposal, user) -> list[Action]:
    return actions_available(ACTIONS, case=proposal, user=user)
