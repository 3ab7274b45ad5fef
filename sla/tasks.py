"""Celery tasks of the SLA engine: thin wrappers; the work is in sweep.py and notifications.py."""

from celery import shared_task

from .models import SlaPolicy


@shared_task
def sla_sweep_task() -> dict:
    from .sweep import sla_sweep

    result = sla_sweep()
    return {"raised": dict(result.raised), "redelivered": result.redelivered}


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def notify_escalations(sweep_id: str) -> int:
    from .notifications import escalations_notify

    return escalations_notify(sweep_id=sweep_id)


@shared_task
def policy_reapply_task(policy_id: int) -> int:
    from .services import policy_reapply

    policy = SlaPolicy.objects.filter(pk=policy_id).first()
    return policy_reapply(policy=policy) if policy else 0


@shared_task
def calendar_recompute_task(days: list[str]) -> int:
    """The calendar changed on `days` (ISO dates): move the open deadlines that counted over them."""
    from datetime import date

    from .calendar_changes import milestones_recompute_for_calendar

    return milestones_recompute_for_calendar(days=[date.fromisoformat(day) for day in days])
