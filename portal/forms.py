"""The customer's two forms: who they are (found again by phone), what happened or what they
propose, and up to PORTAL_MAX_FILES photos or documents, each checked as a staff attachment is."""

from __future__ import annotations

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from casework.forms import AttachmentForm, written_text
from casework.phones import PhoneFormField
from complaints.choices import Category as ComplaintCategory
from proposals.choices import Category as ProposalCategory

TEXT_MAX_LENGTH = 5000  # as the desk's intake forms


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by casework.forms.AttachmentForm's rules."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [upload for upload in (data or []) if upload] if isinstance(data, list | tuple) else (
            [data] if data else [])
        if len(files) > settings.PORTAL_MAX_FILES:
            raise forms.ValidationError(
                _("Please attach at most %(count)d files."), params={"count": settings.PORTAL_MAX_FILES})
        errors = []
        for upload in files:
            one = AttachmentForm(files={"file": upload})
            if not one.is_valid():
                errors += [f"{upload.name}: {message}" for message in one.errors["file"]]
        if errors:
            raise forms.ValidationError(errors)
        return files


class PortalCaptchaInput(CaptchaTextInput):
    """The CAPTCHA's picture and text box, the picture's alt text in the visitor's language."""

    template_name = "portal/widgets/captcha.html"


class PortalForm(forms.Form):
    """What both forms ask. `homepage` is the honeypot: hidden from people, filled by bots."""

    name = forms.CharField(label=_("Your name"), max_length=100)
    phone = PhoneFormField(label=_("Mobile or phone number"))
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    files = MultipleFileField(label=_("Photos or documents (optional, up to 3)"), required=False)
    # A person reads the letters; a script posting the form does not (works offline: drawn here).
    captcha = CaptchaField(label=_("Type the letters in the picture"), widget=PortalCaptchaInput())
    homepage = forms.CharField(label=_("Leave this field empty"), required=False,
                               widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    HONEYPOT = "homepage"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs["aria-describedby"] = "files-help"
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def full_clean(self):
        super().full_clean()
        # Errors are known only now: tie each message to its field for screen readers.
        for name in self.errors:
            if name in self.fields and name != self.HONEYPOT:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = " ".join(filter(None, [f"{name}-errors", attrs.get("aria-describedby")]))

    def is_bot(self) -> bool:
        return bool(self.data.get(self.HONEYPOT))

    def customer_fields(self):
        """Every field but the honeypot, in order, for the template."""
        return [self[name] for name in self.fields if name != self.HONEYPOT]


class ComplaintForm(PortalForm):
    field_order = ["name", "phone", "email", "category", "subject", "description", "files", "captcha"]
    category = forms.ChoiceField(label=_("What is it about?"), choices=ComplaintCategory.choices)
    description = written_text(_("What happened"), rows=6, max_length=TEXT_MAX_LENGTH)


class ProposalForm(PortalForm):
    field_order = ["name", "phone", "email", "category", "subject", "content", "files", "captcha"]
    category = forms.ChoiceField(label=_("What is it about?"), choices=ProposalCategory.choices)
    content = written_text(_("Your proposal"), rows=6, max_length=TEXT_MAX_LENGTH)


class TrackForm(forms.Form):
    """The case number and the phone number the customer gave, checked as the portal's forms check it."""

    number = forms.CharField(label=_("Case number"), max_length=20)
    phone = PhoneFormField(label=_("Mobile or phone number"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean_number(self) -> str:
        return self.cleaned_data["number"].upper()  # the desk's numbers use capital prefixes
