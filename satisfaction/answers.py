"""A survey's answers: the form built from the questions of the version the survey uses, and storing
what it cleaned. The customer's one-time link and the staff's entry (phone, visit) both use them, so
the rules for an answer live here once: a required question must be answered, a score is 1–5, a
choice is one of the question's options, a text is at most 2,000 characters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import SCORE_MAX, SCORE_MIN, QuestionKind
from .surveys import Survey, SurveyAnswer, SurveyQuestion

TEXT_MAX_CHARS = 2000


def _field(question: SurveyQuestion) -> forms.Field:
    common = {"label": question.text, "required": question.required}
    if question.kind == QuestionKind.SCORE:
        return forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect, empty_value=None,
                                      choices=[(n, str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)], **common)
    if question.kind == QuestionKind.CHOICE:
        return forms.ChoiceField(widget=forms.RadioSelect, choices=question.options, **common)
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX_CHARS, **common)


class SurveyAnswersForm(forms.Form):
    """One field a question, named `q<position>`, in the question's order."""

    def __init__(self, *args, questions: list[SurveyQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.position}"] = _field(question)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.get(f"q{q.position}") not in (None, "") for q in self.questions):
            raise forms.ValidationError(_("Answer at least one question."))
        return cleaned


def survey_answers_form(survey: Survey, data=None) -> SurveyAnswersForm:
    questions = list(survey.template_version.questions.order_by("position"))
    return SurveyAnswersForm(data, questions=questions)


def survey_answers_store(*, survey: Survey, form: SurveyAnswersForm) -> int:
    """Store a valid form's answers for `survey` (inside the caller's transaction); returns how many."""
    rows = []
    for question in form.questions:
        value = form.cleaned_data.get(f"q{question.position}")
        if value in (None, ""):
            continue
        answer = SurveyAnswer(survey=survey, question=question)
        if question.kind == QuestionKind.SCORE:
            answer.score = value
        elif question.kind == QuestionKind.CHOICE:
            answer.choice = value
        else:
            answer.text = value
        rows.append(answer)
    SurveyAnswer.objects.bulk_create(rows)
    return len(rows)
