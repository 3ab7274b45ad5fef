"""Celery tasks of the surveys: thin wrappers; the work is in services.py and outbox.py."""

from celery import shared_task

from casework.tasks import MailNotSent


@shared_task
def surveys_expire() -> int:
    from .services import surveys_expire as expire

    return expire()


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_customer_messages(self) -> int:
    from .outbox import customer_messages_send_pending

    sent, failed = customer_messages_send_pending()
    if failed:
        # Back off and try again; the failed messages also stay in the outbox for beat's next run.
        raise self.retry(exc=MailNotSent(f"{failed} messages to customers failed"),
                         countdown=60 * 2**self.request.retries)
    return sent
