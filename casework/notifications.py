"""Notifications: the bell's list and the e-mail outbox."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .case_kinds import CASE_PAGES
from .models import Notification

log = logging.getLogger(__name__)



def case_url(notification: Notification) -> str | None:
    if notification.case_type_id is None or not notification.case_number:
        return None
    case_type = ContentType.objects.get_for_id(notification.case_type_id)
    name = CASE_PAGES.get(f"{case_type.app_label}.{case_type.model}")
    return reverse(name, args=[notification.case_number]) if name else None


def notification_unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_mark_read(*, user, ids=None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def notifications_send_pending(*, limit: int = 200) -> tuple[int, int]:
    """Mail unsent notifications; a failure counts an attempt and leaves it for the next run.

    Rows are claimed with SKIP LOCKED (PostgreSQL), so two workers never mail the same one."""
    sent = failed = 0
    with transaction.atomic():
        batch = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(emailed_at__isnull=True, recipient__email__gt="",
                    email_attempts__lt=settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS)
            .select_related("recipient")
            .order_by("pk")[:limit]
        )
        for notification in batch:
            try:
                send_mail(
                    subject=_("[Closeloop] %(case)s") % {"case": notification.case_number or _("notice")},
                    message=notification.message,
                    from_email=None,
                    recipient_list=[notification.recipient.email],
                )
            except Exception:  # noqa: BLE001 — any mail failure is retried later, never lost
                log.warning("mail to %s failed", notification.recipient.email, exc_info=True)
                Notification.objects.filter(pk=notification.pk).update(email_attempts=F("email_attempts") + 1)
                failed += 1
            else:
                Notification.objects.filter(pk=notification.pk).update(
                    emailed_at=timezone.now(), email_attempts=F("email_attempts") + 1)
                sent += 1
    return sent, failed
