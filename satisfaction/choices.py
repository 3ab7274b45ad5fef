"""The survey vocabulary: states, contact methods (seed 002), question kinds, audiences."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SENT = "sent", _("Sent")
    REMINDED = "reminded", _("Reminded")
    ANSWERED = "answered", _("Answered")
    EXPIRED = "expired", _("Expired")
    UNREACHABLE = "unreachable", _("Unreachable")


FINAL_STATES = [SurveyState.ANSWERED, SurveyState.EXPIRED, SurveyState.UNREACHABLE]
OPEN_STATES = [s for s in SurveyState.values if s not in FINAL_STATES]
# Waiting for the customer's answer: the one-time link works, the due date runs.
AWAITING_ANSWER = [SurveyState.SENT, SurveyState.REMINDED]


class ContactMethod(models.TextChoices):
    """How the customer is asked (seed 002 第十二条)."""

    LETTER = "letter", _("Letter questionnaire")
    EMAIL = "email", _("E-mail questionnaire")
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("Visit")
    OFFICIAL_NOTICE = "official_notice", _("Customer's official notice")
    THIRD_PARTY = "third_party", _("Third party")


class QuestionKind(models.TextChoices):
    SCORE = "score", _("Score 1–5")
    CHOICE = "choice", _("Single choice")
    TEXT = "text", _("Free text")


class Audience(models.TextChoices):
    """Who a campaign asks (seed 002 第十一条): key customers twice a year (one of the two a visit),
    ordinary customers at least once a year, and the special survey after a major complaint."""

    KEY = "key", _("Key customers")
    ORDINARY = "ordinary", _("Ordinary customers")
    SPECIAL = "special", _("Special survey after a complaint")


class CampaignStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")


SCORE_MIN, SCORE_MAX = 1, 5
