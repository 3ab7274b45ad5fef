"""The planning pages' forms: a campaign to plan, a customer to take off its list, and the rows of
a questionnaire's next version. They parse; the rules are satisfaction.planning's and
satisfaction.templates_service's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Audience, ContactMethod, QuestionKind
from .planning import campaign_period_errors
from .surveys import SurveyTemplate


class CampaignPlanForm(forms.Form):
    audience = forms.ChoiceField(label=_("audience"), choices=[(Audience.KEY.value, Audience.KEY.label),
                                                               (Audience.ORDINARY.value, Audience.ORDINARY.label)])
    period_start = forms.DateField(label=_("period from"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("period to"), widget=forms.DateInput(attrs={"type": "date"}))
    template = forms.ModelChoiceField(label=_("questionnaire"), queryset=SurveyTemplate.objects.filter(
        versions__isnull=False).distinct(), help_text=_("Its latest version is used."))
    contact_method = forms.ChoiceField(label=_("contact method"), choices=ContactMethod.choices,
                                       help_text=_("In the second half-year, key customers not yet visited that "
                                                   "year are planned as visits."))
    name = forms.CharField(label=_("name"), max_length=200, required=False,
                           help_text=_("Left empty: the period and the audience."))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            for field, message in campaign_period_errors(audience=cleaned["audience"],
                                                         period_start=cleaned["period_start"],
                                                         period_end=cleaned["period_end"]).items():
                self.add_error(field, message)
        return cleaned


class DropCustomerForm(forms.Form):
    customer = forms.IntegerField(widget=forms.HiddenInput)


class QuestionRowForm(forms.Form):
    """One question; options one a line. A row left entirely empty is no question."""

    kind = forms.ChoiceField(label=_("kind"), choices=[("", "—"), *QuestionKind.choices], required=False)
    text_zh = forms.CharField(label=_("question (Chinese)"), max_length=300, required=False)
    text_en = forms.CharField(label=_("question (English)"), max_length=300, required=False)
    choices_zh = forms.CharField(label=_("options (Chinese)"), required=False, max_length=3000,
                                 widget=forms.Textarea(attrs={"rows": 2}), help_text=_("One a line."))
    choices_en = forms.CharField(label=_("options (English)"), required=False, max_length=3000,
                                 widget=forms.Textarea(attrs={"rows": 2}), help_text=_("One a line."))
    required = forms.BooleanField(label=_("required"), required=False)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(f) for f in ("kind", "text_zh", "text_en", "choices_zh", "choices_en"))


QuestionRowFormSet = forms.formset_factory(QuestionRowForm, extra=3, max_num=50, validate_max=True)


def question_specs(formset: Any) -> list[dict[str, Any]]:
    """The non-blank rows of a valid formset, in order, as question specs."""
    return [{f: form.cleaned_data.get(f) for f in ("kind", "text_zh", "text_en", "choices_zh", "choices_en",
                                                    "required")}
            for form in formset.forms if not form.is_blank()]
