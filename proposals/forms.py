"""Forms: parse and validate what a person typed; the services decide what it means."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.date_bounds import validate_planned_date
from casework.forms import ActionForm, CaseFinderForm, CaseIntakeForm, UnitChoiceField, any_of

from .choices import Category, Channel, Decision, HandlingSatisfaction, Priority, State


class IntakeForm(CaseIntakeForm):
    field_order = ["customer_phone", "customer_name", "customer_organisation", "customer_email", "customer_tier",
                   "caller_is", "channel", "received_at", "confirm_old_receipt"]
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.WRITTEN)
    category = forms.ChoiceField(label=_("Proposal category"), choices=Category.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    content = forms.CharField(label=_("Proposal"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    expected_benefit = forms.CharField(label=_("Expected benefit"), max_length=2000, required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))


class AcknowledgeForm(ActionForm):
    note = forms.CharField(label=_("What the customer was told (thanks, expected time and unit)"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class UnitForm(ActionForm):
    unit = UnitChoiceField(label=_("Responsible unit"))
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class EvaluateForm(ActionForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    opinion = forms.CharField(label=_("Opinion"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    planned_implementation_on = forms.DateField(label=_("Planned implementation date"), required=False,
                                                validators=[validate_planned_date],
                                                widget=forms.DateInput(attrs={"type": "date"}))
    measures = forms.CharField(label=_("Measures"), max_length=2000, required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))
    research_schedule = forms.CharField(label=_("Research schedule"), max_length=2000, required=False,
                                        help_text=_("Needed when the research took over a month from routing "
                                                    "and no schedule was reported."),
                                        widget=forms.Textarea(attrs={"rows": 2}))


class ResearchScheduleForm(ActionForm):
    planned_completion_on = forms.DateField(label=_("Research planned to finish on"),
                                            validators=[validate_planned_date],
                                            widget=forms.DateInput(attrs={"type": "date"}))
    schedule = forms.CharField(label=_("Schedule (steps and dates)"), max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 3}))


class FeedbackForm(ActionForm):
    handling_satisfaction = forms.ChoiceField(label=_("Customer's satisfaction with the handling"),
                                              choices=HandlingSatisfaction.choices)
    note = forms.CharField(label=_("What the customer was told"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ImplementForm(ActionForm):
    report = forms.CharField(label=_("What was done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    cost_reduction = forms.DecimalField(label=_("Cost reduction achieved (CNY)"), min_value=0,
                                        max_digits=14, decimal_places=2,
                                        help_text=_("0 if the benefit is not a cost reduction."))


class QueueFilterForm(CaseFinderForm):
    """The complaint queue's search, dates, overdue and order; a proposal has no major flag,
    complainant class or repeat link, so those filters are not offered."""

    states = State.choices
    SORTS = {
        "number": (_("Number"), ("number",)),
        "subject": (_("Subject"), ("subject",)),
        "customer": (_("Customer"), ("customer__name",)),
        "category": (_("Proposal category"), ("category",)),
        "unit": (_("Unit"), ("responsible_unit__name",)),
        "state": (_("State"), ("state",)),
        "received": (_("Received at"), ("received_at",)),
    }
    category = any_of(_("Proposal category"), Category.choices)
    priority = any_of(_("Priority"), Priority.choices)
    channel = any_of(_("Channel"), Channel.choices)
