"""Forms of the survey pages: the queue's filters and the staff's lifecycle actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms import ActionForm, CaseQueueFilterForm, written_text

from .answers import SurveyAnswersForm
from .choices import ContactMethod, SurveyState
from .surveys import Survey, SurveyCampaign


class QueueFilterForm(CaseQueueFilterForm):
    states = SurveyState.choices
    campaign = forms.ModelChoiceField(label=_("Campaign"), required=False, queryset=SurveyCampaign.objects.all(),
                                      empty_label=_("All"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].label = _("Number or customer")


class UnreachableForm(ActionForm):
    note = written_text(_("Why the customer cannot be reached"))


# Staff take answers on the phone (seed 002 第六条(二)) or at a visit (第七条); the questionnaire by
# letter or e-mail (第六条(一)) is answered through the one-time link.
STAFF_METHODS = [(m.value, m.label) for m in (ContactMethod.PHONE, ContactMethod.VISIT)]


class StaffAnswersForm(ActionForm, SurveyAnswersForm):
    """The answers a person took from the customer: one field a question of the survey's version
    (satisfaction.answers decides what a valid answer is), how they were taken and a note."""

    method = forms.ChoiceField(label=_("Answers taken by"), choices=STAFF_METHODS)
    note = written_text(_("Note"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields([f"q{question.position}" for question in self.questions] + ["method", "note"])

    def clean(self):
        cleaned = super().clean()
        # The store (satisfaction.answers.survey_answers_store) reads the questions with the values.
        cleaned["answers"] = self
        return cleaned


def staff_answers_form(survey: Survey, data=None, **kwargs) -> StaffAnswersForm:
    questions = list(survey.template_version.questions.order_by("position"))
    return StaffAnswersForm(data, questions=questions, **kwargs)
