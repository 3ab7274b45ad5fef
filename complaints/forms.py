"""Forms: parse and validate what a person typed; the services decide what it means."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms import ActionForm, CaseFinderForm, CaseIntakeForm, UnitChoiceField, any_of, written_text
from satisfaction.models import Callback

from .choices import Category, Channel, ComplainantClass, Kind, Priority, ResolutionType, State
from .models import Complaint


class IntakeForm(CaseIntakeForm):
    field_order = ["customer_phone", "customer_name", "customer_organisation", "customer_email", "customer_tier",
                   "caller_is", "kind", "channel", "received_at", "confirm_old_receipt"]
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.COMPLAINT)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.HOTLINE)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    complainant_class = forms.ChoiceField(
        label=_("Complainant class"),
        choices=[("", _("Automatic (A for key customers and regulators, otherwise C)"))] + ComplainantClass.choices,
        required=False,
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = written_text(_("Description"), rows=5, max_length=5000)
    customer_demand = written_text(_("Customer demand"), required=False)
    target = forms.CharField(label=_("Complained-about site, store or person"), max_length=200, required=False)
    estimated_loss = forms.DecimalField(label=_("Estimated direct loss (CNY)"), required=False, min_value=0,
                                        max_digits=14, decimal_places=2)
    is_major = forms.BooleanField(label=_("Major complaint"), required=False)


class DetailsForm(forms.ModelForm):
    """The desk corrects its classification after intake."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Complaint
        fields = ["category", "priority", "complainant_class", "estimated_loss", "is_major",
                  "subject", "description", "customer_demand", "target"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "customer_demand": forms.Textarea(attrs={"rows": 2}),
        }








class ContactForm(ActionForm):
    note = written_text(_("What was said"))


class DispatchForm(ActionForm):
    unit = UnitChoiceField(label=_("Responsible unit"))
    note = written_text(_("Instructions to the unit"), required=False)


class TransferForm(ActionForm):
    to_unit = UnitChoiceField(label=_("Transfer to"))
    note = written_text(_("Reason for the transfer"))


class HandBackForm(ActionForm):
    note = written_text(_("Why the case is not this unit's"))


class PreliminaryReplyForm(ActionForm):
    note = written_text(_("Preliminary result"))


class OnTheSpotForm(ActionForm):
    outcome = forms.ChoiceField(label=_("The customer confirmed"),
                                choices=[(o, o.label) for o in Callback.SATISFIED_OUTCOMES])
    note = written_text(_("How it was solved during the call"))


class ProposeForm(ActionForm):
    root_cause = written_text(_("Root cause"))
    solution = written_text(_("Solution"), rows=3)
    resolution_type = forms.ChoiceField(label=_("Resolution type"), choices=ResolutionType.choices)
    resolution_amount = forms.DecimalField(label=_("Amount (CNY)"), required=False, min_value=0,
                                           max_digits=14, decimal_places=2)


class ProposeInvalidForm(ActionForm):
    reason = written_text(_("Why the complaint is invalid"))


class ImplementForm(ActionForm):
    report = written_text(_("What was done"), rows=3)


class CallbackForm(ActionForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Callback.Outcome.choices)
    false_reply = forms.BooleanField(label=_("The unit's report was untrue (false reply)"), required=False)
    note = written_text(_("Note"), required=False)


class ProgressReplyForm(ActionForm):
    note = written_text(_("What the customer was told"))


class StatusReportForm(ActionForm):
    note = written_text(_("Latest status"))


class MajorReportForm(ActionForm):
    report = written_text(_("Written report"), rows=4, max_length=5000)


class ForceCloseForm(ActionForm):
    reason = written_text(_("Reason for forced closure"))


class QueueFilterForm(CaseFinderForm):
    states = State.choices
    SORTS = {
        "number": (_("Number"), ("number",)),
        "subject": (_("Subject"), ("subject",)),
        "customer": (_("Customer"), ("customer__name",)),
        "category": (_("Category"), ("category",)),
        "priority": (_("Priority"), ("priority",)),
        "unit": (_("Unit"), ("responsible_unit__name",)),
        "state": (_("State"), ("state",)),
        "received": (_("Received at"), ("received_at",)),
    }
    category = any_of(_("Category"), Category.choices)
    priority = any_of(_("Priority"), Priority.choices)
    channel = any_of(_("Channel"), Channel.choices)
    complainant_class = any_of(_("Complainant class"), ComplainantClass.choices)
    is_major = forms.BooleanField(label=_("Major only"), required=False)
    repeat = forms.BooleanField(label=_("Repeat complaints only"), required=False)
    mine = forms.BooleanField(label=_("Registered by me"), required=False)
