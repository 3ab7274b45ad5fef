"""What changes surveys outside a person's click: expiry when the due time has passed, and the
special survey sent with its complaint's closure message."""

from __future__ import annotations

import logging
from datetime import datetime

from django.utils import timezone

from casework.errors import CaseError
from workflow.act import case_act

from .choices import AWAITING_ANSWER, SurveyState
from .planning import BY_LINK_CONTACT_METHOD, ComplaintLike
from .surveys import Survey
from .workflow import WORKFLOW

log = logging.getLogger(__name__)


def surveys_expire(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Expire the surveys still waiting for an answer whose due time has passed; returns how many.

    Each goes through the lifecycle path on its own (its timeline entry, its clock, the version's
    conditional update), so a survey answered meanwhile is left alone (its state no longer allows
    it) and one bad row is logged and skipped without stopping the others. Run again, it finds
    nothing more to do. At most `limit` a run: the next run (beat, every few minutes) takes the rest."""
    now = now or timezone.now()
    due = (Survey.objects.filter(state__in=AWAITING_ANSWER, due_at__lt=now)
           .order_by("due_at", "pk").values_list("pk", "version")[:limit])
    expired = 0
    for pk, version in due:
        try:
            case_act(workflow=WORKFLOW, case=Survey(pk=pk, version=version), actor=None, action="expire",
                     data={"version": version}, expected_version=version)
        except CaseError:
            continue  # answered, reminded or changed by someone at this moment: not (yet) expired
        except Exception:  # noqa: BLE001 — one survey that cannot be expired must not stop the others
            log.exception("survey %s: not expired", pk)
            continue
        expired += 1
    return expired


def survey_send_with_closure(*, complaint: ComplaintLike) -> tuple[Survey, str] | None:
    """Send the special survey made at `complaint`'s closure to go by link
    (SURVEY_AFTER_CLOSED_COMPLAINT_METHOD=link), in the closure's transaction; returns the sent
    survey and its link, for the closure message to carry, or None when there is none to send.

    The survey's own `send` step (due time, link, answer clock, timeline entry), taken by the system:
    no person pressed "send". The link is handed back instead of queued in a message of its own, so
    the customer gets one message a channel."""
    survey = Survey.objects.filter(complaint_id=complaint.pk, campaign__isnull=True, state=SurveyState.PLANNED,
                                   contact_method=BY_LINK_CONTACT_METHOD).first()
    if survey is None:
        return None
    links: list[str] = []
    sent = case_act(workflow=WORKFLOW, case=survey, actor=None, action="send",
                    data={"note": "", "carry_link": links.append, "with_closure_of": complaint.number})
    return sent, links[0]
