"""Callbacks 回访 to the customer after a complaint is resolved (SPEC §3, §6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Callback(models.Model):
    class Outcome(models.TextChoices):
        VERY_SATISFIED = "very_satisfied", _("Very satisfied")
        SATISFIED = "satisfied", _("Satisfied")
        NEUTRAL = "neutral", _("Neutral")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")
        UNREACHABLE = "unreachable", _("Unreachable")

    # Only these close a complaint (seed 004: "若顾客满意或非常满意，则投诉正式受理完毕"). "Neutral"
    # (基本满意) neither closes nor reopens: the desk calls again, or the manager closes with a reason.
    ACCEPTING_OUTCOMES = [Outcome.VERY_SATISFIED, Outcome.SATISFIED]
    SATISFIED_OUTCOMES = [Outcome.VERY_SATISFIED, Outcome.SATISFIED]

    complaint = models.ForeignKey(
        "complaints.Complaint", verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="callbacks"
    )
    # Which resolution this callback checks: the complaint's round with the unit when it was made.
    round = models.PositiveSmallIntegerField(_("round"), default=0)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    false_reply = models.BooleanField(
        _("false reply"), default=False, help_text=_("The unit's implementation report turned out to be untrue.")
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    called_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("called by"), on_delete=models.PROTECT)
    called_at = models.DateTimeField(_("called at"), default=timezone.now)

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        ordering = ["called_at", "pk"]
        indexes = [models.Index(fields=["complaint", "round"], name="callback_complaint_round")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.get_outcome_display()}"

    @property
    def is_unreachable(self) -> bool:
        return self.outcome == self.Outcome.UNREACHABLE

    @property
    def reopens_case(self) -> bool:
        """A dissatisfied customer, or a unit that reported work it had not done, reopens the case."""
        return self.outcome == self.Outcome.DISSATISFIED or self.false_reply


# The surveys' models live in their own module; Django finds models through this one.
from .outbox import CustomerMessage  # noqa: E402
from .surveys import (  # noqa: E402
    Survey,
    SurveyAnswer,
    SurveyCampaign,
    SurveyQuestion,
    SurveyTemplate,
    SurveyTemplateVersion,
)

__all__ = ["Callback", "CustomerMessage", "Survey", "SurveyAnswer", "SurveyCampaign", "SurveyQuestion",
           "SurveyTemplate", "SurveyTemplateVersion"]
