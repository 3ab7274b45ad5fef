"""The survey's one-time link: what lets a customer answer without logging in.

The link carries a token signed with the site's secret (django.core.signing): it names the survey
and a random secret of 32 bytes. Only a SHA-256 digest of that secret is stored, so neither a
guess nor a copy of the table gives a working link. A link works while its survey waits for an
answer, until it expires, and once: answering uses it up, and issuing a new one (a reminder)
makes the earlier one stop working."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone

from .choices import AWAITING_ANSWER, SurveyState
from .surveys import Survey

SALT = "closeloop.satisfaction.survey-link"


class LinkRefused(Exception):
    """The link does not open a survey; `reason` says why, for the page (never which survey)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def survey_link_issue(*, survey: Survey, now: datetime) -> str:
    """A new link for `survey` (the earlier one stops working); the caller saves the survey. It works
    for SURVEY_LINK_VALID_DAYS, and at least as long as the survey waits for its answer."""
    secret = secrets.token_urlsafe(32)
    survey.link_digest = _digest(secret)
    survey.link_expires_at = max(now + timedelta(days=settings.SURVEY_LINK_VALID_DAYS), survey.due_at or now)
    return signing.dumps({"s": survey.pk, "k": secret}, salt=SALT)


def survey_from_link(*, token: str, now: datetime | None = None) -> Survey:
    """The survey a link opens, or LinkRefused("invalid" | "used" | "expired")."""
    now = now or timezone.now()
    try:
        payload = signing.loads(token[:500], salt=SALT)
        pk, secret = int(payload["s"]), str(payload["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkRefused("invalid") from None
    survey = Survey.objects.filter(pk=pk).select_related("template_version", "customer").first()
    if survey is None or not survey.link_digest or not hmac.compare_digest(survey.link_digest, _digest(secret)):
        raise LinkRefused("invalid")
    if survey.link_used_at is not None or survey.state == SurveyState.ANSWERED:
        raise LinkRefused("used")
    # A survey the sweep expired (or the desk closed) before the link's own end is over for the
    # customer too: telling them it was answered would be untrue.
    if survey.state not in AWAITING_ANSWER or survey.link_expires_at is None or survey.link_expires_at <= now:
        raise LinkRefused("expired")
    return survey
