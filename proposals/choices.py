"""The proposal vocabulary of SPEC §4: states, categories, channels, decisions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    UNDER_REVIEW = "under_review", _("Under review")
    EVALUATED = "evaluated", _("Evaluated")
    ADOPTED = "adopted", _("Adopted")
    IMPLEMENTED = "implemented", _("Implemented")
    CLOSED = "closed", _("Closed")
    ARCHIVED = "archived", _("Archived")


# Where a proposal ends; every other state is open (Proposal.objects.open(), the partial index).
FINAL_STATES = [State.CLOSED, State.ARCHIVED]
OPEN_STATES = [s for s in State.values if s not in FINAL_STATES]
# Until the customer has had the unit's answer, the 10-working-day feedback clock runs.
AWAITING_FEEDBACK_STATES = [State.SUBMITTED, State.ACKNOWLEDGED, State.UNDER_REVIEW, State.EVALUATED]


class Category(models.TextChoices):
    PRODUCT_STANDARDISATION = "product_standard", _("Product standardisation")
    LOGISTICS_SALES = "logistics_sales", _("Logistics and sales channels")
    PROCESS_EFFICIENCY = "process_efficiency", _("Process and quality-inspection efficiency")
    NEW_MATERIALS = "new_materials", _("New materials and parts")
    AFTER_SALES = "after_sales", _("After-sales service")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    WRITTEN = "written", _("Written proposal")
    HOTLINE = "hotline", _("400 hotline")
    EMAIL = "email", _("E-mail")
    WEB_FORM = "web_form", _("Website form")
    WECHAT = "wechat", _("WeChat")
    ON_SITE = "on_site", _("On-site visit")
    SURVEY = "survey", _("Satisfaction survey")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal (10 working days)")
    URGENT = "urgent", _("Urgent or special (3 working days)")


class Decision(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")


class HandlingSatisfaction(models.TextChoices):
    """How the customer felt about the way the proposal was handled, asked at feedback."""

    VERY_SATISFIED = "very_satisfied", _("Very satisfied")
    SATISFIED = "satisfied", _("Satisfied")
    NEUTRAL = "neutral", _("Neutral")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


SATISFIED = [HandlingSatisfaction.VERY_SATISFIED, HandlingSatisfaction.SATISFIED]

# SLA policies are keyed by priority; an extended proposal follows the "extended" policy (15 working days).
EXTENDED_SLA_PRIORITY = "extended"


def sla_priority_for(*, priority: str, extended: bool) -> str:
    """The policy row the feedback deadline follows: an extension beats the priority."""
    return EXTENDED_SLA_PRIORITY if extended else priority
