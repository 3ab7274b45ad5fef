import logging

from celery import shared_task

log = logging.getLogger(__name__)


def enqueue(task, *args) -> bool:
    """Send a task, or log that the broker is away. Callers keep the state that lets a
    later sweep send it again, so a failed publish delays work but loses none."""
    try:
        task.delay(*args)
    except Exception:  # noqa: BLE001 — kombu/redis raise many kinds; all mean "not sent now"
        log.warning("could not enqueue %s%r; a later sweep will retry", task.name, args, exc_info=True)
        return False
    return True


class MailNotSent(Exception):
    pass


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_pending_emails(self) -> int:
    from .notifications import notifications_send_pending

    sent, failed = notifications_send_pending()
    if failed:
        # Back off and try the failed ones again; each also stays in the outbox for the sweep.
        raise self.retry(exc=MailNotSent(f"{failed} notification e-mails failed"),
                         countdown=60 * 2**self.request.retries)
    return sent


@shared_task
def remove_expired_import_files() -> int:
    from .import_stash import import_stashes_remove_expired

    return import_stashes_remove_expired()


@shared_task
def import_job_check_task(job_id: int) -> None:
    from .import_jobs import import_job_check

    import_job_check(job_id=job_id)


@shared_task
def import_job_write_task(job_id: int) -> None:
    from .import_jobs import import_job_write

    import_job_write(job_id=job_id)
