"""What changes surveys outside a person's click: expiry when the due time has passed."""

from __future__ import annotations

import logging
from datetime import datetime

from django.utils import timezone

from casework.errors import CaseError
from workflow.act import case_act

from .choices import AWAITING_ANSWER
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
