"""Forms: parse and validate what a person typed; the services decide what it means."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms import ActionForm, CaseIntakeForm, CaseQueueFilterForm, any_of
from casework.models import ResponsibleUnit
from satisfaction.models import Callback

from .choices import Category, Channel, ComplainantClass, Kind, Priority, ResolutionType, State
from .models import Complaint


class IntakeForm(CaseIntakeForm):
    field_order = ["customer_name", "customer_phone", "customer_organisation", "customer_email", "customer_tier",
                   "kind", "channel", "received_at"]
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
    description = forms.CharField(label=_("Description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    customer_demand = forms.CharField(label=_("Customer demand"), max_length=2000, required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
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
    note = forms.CharField(label=_("What was said"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class DispatchForm(ActionForm):
    unit = forms.ModelChoiceField(label=_("Responsible unit"),
                                  queryset=ResponsibleUnit.objects.filter(status=ResponsibleUnit.Status.ACTIVE))
    note = forms.CharField(label=_("Instructions to the unit"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ProposeForm(ActionForm):
    root_cause = forms.CharField(label=_("Root cause"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    solution = forms.CharField(label=_("Solution"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    resolution_type = forms.ChoiceField(label=_("Resolution type"), choices=ResolutionType.choices)
    resolution_amount = forms.DecimalField(label=_("Amount (CNY)"), required=False, min_value=0,
                                           max_digits=14, decimal_places=2)


class ProposeInvalidForm(ActionForm):
    reason = forms.CharField(label=_("Why the complaint is invalid"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ImplementForm(ActionForm):
    report = forms.CharField(label=_("What was done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class CallbackForm(ActionForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Callback.Outcome.choices)
    false_reply = forms.BooleanField(label=_("The unit's report was untrue (false reply)"), required=False)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProgressReplyForm(ActionForm):
    note = forms.CharField(label=_("What the customer was told"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class StatusReportForm(ActionForm):
    note = forms.CharField(label=_("Latest status"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class MajorReportForm(ActionForm):
    report = forms.CharField(label=_("Written report"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class ForceCloseForm(ActionForm):
    reason = forms.CharField(label=_("Reason for forced closure"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))






class QueueFilterForm(CaseQueueFilterForm):
    states = State.choices
    category = any_of(_("Category"), Category.choices)
    priority = any_of(_("Priority"), Priority.choices)
    mine = forms.BooleanField(label=_("Registered by me"), required=False)
