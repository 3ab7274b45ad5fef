"""Form pieces every kind of case uses: the lifecycle action's version, notes, comments, files."""

from __future__ import annotations

from datetime import timedelta
from functools import cached_property
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .date_bounds import validate_received_at
from .file_types import content_matches_extension
from .models import Attachment, Customer, ResponsibleUnit
from .phones import PhoneFormField, phone_normalise
from .selectors import CustomerOverview, customer_by_phone, customer_overview
from .services import CallerIs


class ReceivedAtMixin:
    """An intake form's `received_at`: now by default."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("received_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))


def received_at_field() -> forms.DateTimeField:
    return forms.DateTimeField(
        label=_("Received at"), validators=[validate_received_at],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class CaseIntakeForm(ReceivedAtMixin, forms.Form):
    """What every intake asks about the customer (found again by phone) and when the case came in.

    A known phone number whose record differs from what was typed asks `caller_is` (the service
    `casework.services.caller_resolve` decides and names the differences; `add_caller_errors` puts
    them on these fields). A time received more than INTAKE_CONFIRM_RECEIVED_OLDER_THAN_DAYS ago
    asks `confirm_old_receipt`."""

    customer_phone = PhoneFormField(label=_("Phone"))
    customer_name = forms.CharField(label=_("Customer name"), max_length=100)
    customer_organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    customer_email = forms.EmailField(label=_("E-mail"), required=False)
    customer_tier = forms.ChoiceField(label=_("Customer tier"), choices=Customer.Tier.choices,
                                      initial=Customer.Tier.ORDINARY)
    caller_is = forms.ChoiceField(label=_("This phone number belongs to a known customer: who is calling?"),
                                  choices=CallerIs.choices, required=False, widget=forms.RadioSelect)
    received_at = received_at_field()
    confirm_old_receipt = forms.BooleanField(label=_("Yes, the case was received at this time"), required=False)

    CUSTOMER_FIELDS = ("customer_name", "customer_phone", "customer_organisation", "customer_email", "customer_tier",
                       "caller_is")
    FORM_ONLY = ("confirm_old_receipt",)

    def clean(self):
        cleaned = super().clean()
        received = cleaned.get("received_at")
        days = settings.INTAKE_CONFIRM_RECEIVED_OLDER_THAN_DAYS
        if received and received < timezone.now() - timedelta(days=days) and not cleaned.get("confirm_old_receipt"):
            self.add_error("received_at", ValidationError(
                _("This is more than %(days)s days ago (%(date)s). Check the date, or tick the box below to "
                  "confirm it."),
                params={"days": days, "date": timezone.localtime(received).strftime("%Y-%m-%d %H:%M")},
                code="confirm_old"))
        return cleaned

    @property
    def asks_receipt_confirmation(self) -> bool:
        """Show the confirmation box: the time received was found old, or the box was ticked."""
        return self.is_bound and (self.has_error("received_at", "confirm_old")
                                  or bool(self.data.get(self.add_prefix("confirm_old_receipt"))))

    @cached_property
    def known_customer(self) -> Customer | None:
        """The customer whose phone number was posted, for the panel shown without JavaScript."""
        if not self.is_bound:
            return None
        return customer_by_phone(phone=phone_normalise(str(self.data.get(self.add_prefix("customer_phone"), ""))[:32]))

    @cached_property
    def known_customer_overview(self) -> CustomerOverview | None:
        if self.known_customer is None:
            return None
        category = str(self.data.get(self.add_prefix("category"), ""))[:20]
        return customer_overview(customer=self.known_customer, category=category)

    @property
    def caller_asked(self) -> bool:
        """Show the choice of who is calling: the posted phone is a known customer's."""
        return self.known_customer is not None

    def customer_details(self) -> dict:
        """The arguments of casework.services.caller_resolve."""
        d = self.cleaned_data
        return {"name": d["customer_name"], "phone": d["customer_phone"], "organisation": d["customer_organisation"],
                "email": d["customer_email"], "tier": d["customer_tier"], "caller_is": d["caller_is"]}

    def add_caller_errors(self, error: ValidationError) -> None:
        """caller_resolve's refusal (keyed by its arguments) on this form's fields."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            name = key if key == "caller_is" else f"customer_{key}"
            self.add_error(name if name in self.fields else None, errors)

    def case_details(self) -> dict:
        """The other fields, by name: the case kind's register service takes them as they are."""
        return {name: value for name, value in self.cleaned_data.items()
                if name not in self.CUSTOMER_FIELDS and name not in self.FORM_ONLY}


class ActionForm(forms.Form):
    """Every lifecycle action carries the version of the case the person was looking at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class NoteForm(ActionForm):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RequiredNoteForm(ActionForm):
    note = forms.CharField(label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # The model's extension and size checks first: no point reading a refused file.
        for validator in Attachment._meta.get_field("file").validators:
            validator(upload)
        extension = Path(upload.name).suffix.lstrip(".").lower()
        if not content_matches_extension(file=upload, extension=extension):
            raise forms.ValidationError(
                _("The file's content is not what its extension .%(extension)s says."),
                params={"extension": extension},
            )
        return upload


def written_text(label, *, rows: int = 2, max_length: int = 2000, required: bool = True) -> forms.CharField:
    """What a person writes in an action's form: bounded, in a text area of a few rows."""
    return forms.CharField(label=label, max_length=max_length, required=required,
                           widget=forms.Textarea(attrs={"rows": rows}))


def any_of(label, choices) -> forms.ChoiceField:
    """A list filter over `choices`, empty meaning all."""
    return forms.ChoiceField(label=label, required=False, choices=[("", _("All"))] + list(choices))


class CaseQueueFilterForm(forms.Form):
    """Filters of a case kind's work queue: number or subject, state (or all open ones), unit; the
    kind's form adds its own (`states`, category…). A bad value is ignored with a message, never a 500.
    workflow.pages hands every field but `q` and `state` to the kind's list selector by its name."""

    OPEN = "open"
    states: list[tuple[str, str]] = []
    q = forms.CharField(label=_("Number or subject"), max_length=100, required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), required=False, queryset=ResponsibleUnit.objects.all(),
                                  empty_label=_("All"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All")), (self.OPEN, _("All open"))] + list(self.states)

    def filters(self) -> dict:
        """The list selector's arguments; none (every visible case) when a value is bad."""
        if not self.is_valid():
            return {}
        data = dict(self.cleaned_data)
        state, search = data.pop("state"), data.pop("q")
        return {"state": "" if state == self.OPEN else state, "open_only": state == self.OPEN,
                "search": search.strip(), **data}
