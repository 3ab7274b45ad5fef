from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NegativeMediaExposure
from .periods import FIRST_YEAR, LAST_YEAR, HalfYear, Month, Quarter


class MonthForm(forms.Form):
    month = forms.CharField(label=_("Month (YYYY-MM)"), max_length=7)

    def clean_month(self):
        try:
            return Month.parse(self.cleaned_data["month"])
        except ValueError:
            raise forms.ValidationError(_("Enter a month as YYYY-MM, e.g. 2026-10.")) from None


class ExportForm(MonthForm):
    format = forms.ChoiceField(choices=[("xlsx", "XLSX"), ("csv", "CSV")])


class QuarterForm(forms.Form):
    quarter = forms.CharField(label=_("Quarter (YYYY-Qn)"), max_length=7)

    def clean_quarter(self):
        try:
            return Quarter.parse(self.cleaned_data["quarter"])
        except ValueError:
            raise forms.ValidationError(_("Enter a quarter as YYYY-Qn, e.g. 2026-Q4.")) from None


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)


class HalfYearForm(forms.Form):
    half = forms.CharField(label=_("Half-year (YYYY-Hn)"), max_length=7)

    def clean_half(self):
        try:
            return HalfYear.parse(self.cleaned_data["half"])
        except ValueError:
            raise forms.ValidationError(_("Enter a half-year as YYYY-Hn, e.g. 2026-H2.")) from None


class QuarterExportForm(QuarterForm):
    format = forms.ChoiceField(choices=[("xlsx", "XLSX"), ("csv", "CSV")])


class HalfYearExportForm(HalfYearForm):
    format = forms.ChoiceField(choices=[("xlsx", "XLSX"), ("csv", "CSV")])


class NegativeMediaExposureForm(forms.ModelForm):
    """A manager records negative media exposure caused by a unit (seed 001 5.1.5)."""

    class Meta:
        model = NegativeMediaExposure
        fields = ["unit", "date", "description"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}
