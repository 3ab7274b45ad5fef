"""Notifications: the bell's list and the e-mail outbox."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .case_kinds import CASE_PAGES, AnyCase, case_content_type
from .models import Notification
from .tasks import enqueue, send_pending_emails

log = logging.getLogger(__name__)


def case_url(notification: Notification) -> str | None:
    if notification.case_type_id is None or not notification.case_number:
        return None
    case_type = ContentType.objects.get_for_id(notification.case_type_id)
    name = CASE_PAGES.get(f"{case_type.app_label}.{case_type.model}")
    return reverse(name, args=[notification.case_number]) if name else None


def notification_rows(*, recipients: Iterable[User], case_type_id: int, case_id: int, case_number: str,
                      message: str, source: str) -> list[Notification]:
    """The unsaved notifications of one message about one case, one per active recipient: what
    `notify` stores for one case, and what a batch (the sweep's escalations) gathers to store
    at once with `notifications_store`."""
    return [Notification(recipient=person, source=source[:64], case_type_id=case_type_id, case_id=case_id,
                         case_number=case_number, message=message[:500])
            for person in {p for p in recipients if p.is_active}]


def notifications_store(notifications: list[Notification]) -> int:
    """Store notifications: in the bell at once, by e-mail after the transaction commits.

    A notification's `source` names its cause; with the recipient it is unique, so the same cause
    told twice (a retried task) is stored once. Returns how many were given."""
    created = Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    if created:
        transaction.on_commit(lambda: enqueue(send_pending_emails))
    return len(created)


def notify(*, recipients: Iterable[User], case: AnyCase, message: str, source: str) -> int:
    """Tell people about a case (see `notifications_store`); every notice of the product, lifecycle
    or escalation, is stored through that one function."""
    return notifications_store(notification_rows(
        recipients=recipients, case_type_id=case_content_type(case).pk, case_id=case.pk,
        case_number=case.number, message=message, source=source))


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def _email_text(notification: Notification) -> str:
    """The notice, and the address of the case it is about: the e-mail links where the bell does."""
    url = case_url(notification)
    if url is None:
        return notification.message
    return notification.message + "\n\n" + _("Open the case: %(url)s") % {"url": settings.SITE_URL.rstrip("/") + url}


def _claim_next_unsent(*, skip: set[int]) -> Notification | None:
    return (
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(emailed_at__isnull=True, recipient__email__gt="",
                email_attempts__lt=settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS)
        .exclude(pk__in=skip)
        .select_related("recipient")
        .order_by("pk")
        .first()
    )


def notifications_send_pending() -> tuple[int, int]:
    """Mail unsent notifications until the outbox is empty; returns (sent, failed).

    Each message is claimed (SKIP LOCKED on PostgreSQL, so two workers never mail the same one)
    and marked sent in its own transaction as soon as the mail server has taken it: a worker
    killed mid-run sends again at most the one message it was handing over. A failure counts an
    attempt and leaves the message for the next run; it never stops the others."""
    sent = failed = 0
    failed_now: set[int] = set()
    mail = get_connection()
    try:
        mail.open()  # one SMTP session for the whole run, not one per message
    except Exception:  # noqa: BLE001 — each send below retries the connection and counts its failure
        log.warning("mail server not reachable; trying message by message", exc_info=True)
    try:
        while True:
            with transaction.atomic():
                notification = _claim_next_unsent(skip=failed_now)
                if notification is None:
                    break
                try:
                    send_mail(
                        subject=_("[Closeloop] %(case)s") % {"case": notification.case_number or _("notice")},
                        message=_email_text(notification),
                        from_email=None,
                        recipient_list=[notification.recipient.email],
                        connection=mail,
                    )
                except Exception:  # noqa: BLE001 — any mail failure is retried later, never lost
                    log.warning("mail to %s failed", notification.recipient.email, exc_info=True)
                    Notification.objects.filter(pk=notification.pk).update(email_attempts=F("email_attempts") + 1)
                    failed_now.add(notification.pk)
                    failed += 1
                else:
                    Notification.objects.filter(pk=notification.pk).update(
                        emailed_at=timezone.now(), email_attempts=F("email_attempts") + 1)
                    sent += 1
    finally:
        mail.close()
    return sent, failed
