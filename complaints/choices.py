"""The complaint vocabulary of SPEC §3: states, channels, categories, classes, severities."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    CONTACTED = "contacted", _("Contacted")
    ASSIGNED = "assigned", _("Assigned")
    PENDING_APPROVAL = "pending_approval", _("Pending approval")
    APPROVED = "approved", _("Approved")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


# Where a complaint ends; every other state is open (Complaint.objects.open(), the partial indexes).
FINAL_STATES = [State.CLOSED]
OPEN_STATES = [s for s in State.values if s not in FINAL_STATES]


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    REPAIR_REQUEST = "repair_request", _("Repair request")


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("400 hotline")
    PHONE = "phone", _("Phone")
    WEB_FORM = "web_form", _("Website form")
    EMAIL = "email", _("E-mail")
    WECHAT = "wechat", _("WeChat")
    ONLINE_FORUM = "online_forum", _("Online forum / social media")
    ON_SITE = "on_site", _("On-site visit")
    LETTER = "letter", _("Letter")
    REGULATOR = "regulator", _("Regulator transfer")


class Category(models.TextChoices):
    PRODUCT_QUALITY = "product_quality", _("Product quality")
    TECHNICAL = "technical", _("Technical capability")
    SERVICE_PROCESS = "service_process", _("Service process")
    SERVICE_ATTITUDE = "service_attitude", _("Service attitude")
    CONTRACT = "contract", _("Contract")
    PARTS_SUPPLY = "parts_supply", _("Parts supply")
    PRICE = "price", _("Price")
    SAFETY = "safety", _("Safety")
    OTHER = "other", _("Other")


# Quality complaints are closed only after a second satisfied callback (SPEC §3).
TWO_CALLBACK_CATEGORIES = {Category.PRODUCT_QUALITY}


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


class ComplainantClass(models.TextChoices):
    A = "A", _("A — key customer or provincial regulator in writing")
    B = "B", _("B — key customer or regulator with a serious warning")
    C = "C", _("C — ordinary valid complaint")


class Severity(models.TextChoices):
    NONE = "", _("Below minor")
    MINOR = "minor", _("Minor")
    SMALL = "small", _("Small")
    GENERAL = "general", _("General")
    LARGE = "large", _("Large")
    MAJOR = "major", _("Major")
    EXTRAORDINARY = "extraordinary", _("Extraordinary")


# Lower bounds of direct loss in CNY, worst first (SPEC §3).
SEVERITY_THRESHOLDS = [
    (Decimal("1000000"), Severity.EXTRAORDINARY),
    (Decimal("500000"), Severity.MAJOR),
    (Decimal("100000"), Severity.LARGE),
    (Decimal("50000"), Severity.GENERAL),
    (Decimal("10000"), Severity.SMALL),
    (Decimal("1000"), Severity.MINOR),
]
# "General" or worse goes to the manager at once and makes the complaint major.
MAJOR_SEVERITIES = {Severity.GENERAL, Severity.LARGE, Severity.MAJOR, Severity.EXTRAORDINARY}


def severity_for_loss(loss: Decimal | None) -> str:
    if loss is None:
        return Severity.NONE
    for threshold, severity in SEVERITY_THRESHOLDS:
        if loss >= threshold:
            return severity
    return Severity.NONE


class Validity(models.TextChoices):
    UNDETERMINED = "", _("Not yet determined")
    VALID = "valid", _("Valid")
    INVALID = "invalid", _("Invalid")


class ResolutionType(models.TextChoices):
    EXPLANATION = "explanation", _("Explanation")
    REPAIR = "repair", _("Repair")
    REPLACEMENT = "replacement", _("Replacement")
    REFUND = "refund", _("Return / refund")
    COMPENSATION = "compensation", _("Compensation")
    GOODWILL = "goodwill", _("Goodwill concession")


class ClosureType(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    INVALID = "invalid", _("Invalid")
    FORCED = "forced", _("Forced closure")
    UNREACHABLE = "unreachable", _("Customer unreachable")
