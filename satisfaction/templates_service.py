"""Questionnaires (调查表, seed 002 第十条): creating one and revising it.

A version, once made, is never changed: a revision is the next version with its own questions, so
a survey answered on version 1 keeps version 1's questions and answers (SurveyAnswer points at the
question of the version it answered). The rules for a question list live here once, for the staff
page, the demo data and the tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypedDict

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from .campaign_policy import can_edit_questionnaires
from .choices import QuestionKind
from .surveys import SurveyQuestion, SurveyTemplate, SurveyTemplateVersion

MAX_QUESTIONS = 50
MIN_OPTIONS, MAX_OPTIONS = 2, 10
# The model's column sizes: a question's text, and an option (stored as the answer's `choice`).
TEXT_MAX_CHARS = SurveyQuestion._meta.get_field("text_zh").max_length or 300
OPTION_MAX_CHARS = 200
NAME_MAX_CHARS = SurveyTemplate._meta.get_field("name").max_length or 200


class QuestionSpec(TypedDict, total=False):
    """One question as a caller gives it; `position`, if given, must be its place in the list."""

    position: int
    kind: str
    text_zh: str
    text_en: str
    choices_zh: list[str]
    choices_en: list[str]
    required: bool


def _options(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.splitlines()
    return [str(option).strip() for option in value if str(option).strip()]


def questions_clean(questions: Sequence[QuestionSpec]) -> list[dict[str, Any]]:
    """The questions as SurveyQuestion fields, numbered 1..n in the given order; ValidationError
    on the `questions` field naming each question's problem."""
    if not questions:
        raise ValidationError({"questions": _("A questionnaire needs at least one question.")})
    if len(questions) > MAX_QUESTIONS:
        raise ValidationError({"questions": _("A questionnaire has at most %(count)d questions.")
                               % {"count": MAX_QUESTIONS}})
    errors: list[str] = []
    cleaned = []
    for position, spec in enumerate(questions, start=1):
        def problem(message: str, position: int = position) -> None:
            errors.append(_("Question %(position)d: %(problem)s") % {"position": position, "problem": message})

        if spec.get("position", position) != position:
            problem(_("the questions must be numbered 1 to %(count)d in order.") % {"count": len(questions)})
        kind = spec.get("kind")
        if kind not in QuestionKind.values:
            problem(_("choose a score, a single choice or a free text."))
        text_zh, text_en = str(spec.get("text_zh") or "").strip(), str(spec.get("text_en") or "").strip()
        if not text_zh or not text_en:
            problem(_("the question is needed in Chinese and in English."))
        if len(text_zh) > TEXT_MAX_CHARS or len(text_en) > TEXT_MAX_CHARS:
            problem(_("a question has at most %(count)d characters.") % {"count": TEXT_MAX_CHARS})
        choices_zh, choices_en = _options(spec.get("choices_zh")), _options(spec.get("choices_en"))
        if kind == QuestionKind.CHOICE:
            if not (MIN_OPTIONS <= len(choices_zh) <= MAX_OPTIONS) or len(choices_zh) != len(choices_en):
                problem(_("a single choice needs %(min)d to %(max)d options, the same number in Chinese and "
                          "in English.") % {"min": MIN_OPTIONS, "max": MAX_OPTIONS})
            if len(set(choices_zh)) != len(choices_zh):
                # The Chinese option is what an answer stores: two equal ones could not be told apart.
                problem(_("the Chinese options must differ from each other."))
            if any(len(option) > OPTION_MAX_CHARS for option in choices_zh + choices_en):
                problem(_("an option has at most %(count)d characters.") % {"count": OPTION_MAX_CHARS})
        elif choices_zh or choices_en:
            problem(_("only a single-choice question has options."))
        cleaned.append({"position": position, "kind": kind, "text_zh": text_zh, "text_en": text_en,
                        "choices_zh": choices_zh if kind == QuestionKind.CHOICE else [],
                        "choices_en": choices_en if kind == QuestionKind.CHOICE else [],
                        "required": bool(spec.get("required", True))})
    if errors:
        raise ValidationError({"questions": errors})
    return cleaned


def _version_store(*, template: SurveyTemplate, number: int, questions: list[dict[str, Any]],
                   actor: User | None) -> SurveyTemplateVersion:
    version = SurveyTemplateVersion.objects.create(template=template, number=number, created_by=actor)
    SurveyQuestion.objects.bulk_create(SurveyQuestion(version=version, **q) for q in questions)
    return version


def _refuse_unless_allowed(actor: User | None) -> None:
    # `actor=None` is the system (demo data, a data migration); a person must be allowed.
    if actor is not None and not can_edit_questionnaires(actor):
        raise PermissionDenied


@transaction.atomic
def template_create(*, name: str, questions: Sequence[QuestionSpec], actor: User | None) -> SurveyTemplateVersion:
    """A new questionnaire and its version 1."""
    _refuse_unless_allowed(actor)
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX_CHARS:
        raise ValidationError({"name": _("Give the questionnaire a name of at most %(count)d characters.")
                               % {"count": NAME_MAX_CHARS}})
    # The special survey finds its questionnaire by name (SURVEY_SPECIAL_TEMPLATE): names are unique.
    if SurveyTemplate.objects.filter(name=name).exists():
        raise ValidationError({"name": _("A questionnaire with this name already exists.")})
    cleaned = questions_clean(questions)
    template = SurveyTemplate.objects.create(name=name)
    return _version_store(template=template, number=1, questions=cleaned, actor=actor)


@transaction.atomic
def template_revise(*, template: SurveyTemplate, questions: Sequence[QuestionSpec],
                    actor: User | None) -> SurveyTemplateVersion:
    """The next version of `template` with these questions, in this order. Earlier versions, and the
    surveys and answers pointing at them, stay exactly as they were."""
    _refuse_unless_allowed(actor)
    cleaned = questions_clean(questions)
    # The template's row lock queues two revisions made at once, so they get numbers n+1 and n+2.
    locked = SurveyTemplate.objects.select_for_update().get(pk=template.pk)
    latest = locked.versions.aggregate(n=Max("number"))["n"] or 0
    return _version_store(template=locked, number=latest + 1, questions=cleaned, actor=actor)


def version_questions(version: SurveyTemplateVersion) -> list[QuestionSpec]:
    """A version's questions as specs: the starting point of the next revision's form."""
    return [QuestionSpec(position=q.position, kind=q.kind, text_zh=q.text_zh, text_en=q.text_en,
                         choices_zh=list(q.choices_zh), choices_en=list(q.choices_en), required=q.required)
            for q in version.questions.order_by("position")]
