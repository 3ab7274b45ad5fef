"""Messages to customers by e-mail and SMS: the survey's one-time link, and what any case (a
complaint, a proposal) tells its customer at registration, a reply, the decision and closure
(`customer_message_queue`, called by the registration services and by `workflow.act.case_act` for
the rows with `tells_customer`). A message belongs to its case by content type and id (like
`casework.models.Notification`); a survey's also by its `survey` key.

A message is written in the same transaction as the step that sends it (`send`, `remind`) and
delivered after the commit by a task (satisfaction.tasks.send_customer_messages), so a rolled-back
step sends nothing and a committed one is never lost: a failure counts an attempt, keeps the error
and leaves the message for the next run (the task retries, and beat drains the outbox regularly).

The link is kept apart from the text and cleared once delivered or superseded by a newer link, so
the outbox, like the survey's own row (only a digest), does not keep working links around. Another
case's message may carry a survey's link too (a complaint's closure message, with the survey sent
at the closure: SURVEY_AFTER_CLOSED_COMPLAINT_METHOD=link); it keeps its survey, so a newer link
withdraws it, but it is that case's message: it still goes out, without the paragraph that held the
link, when the link was withdrawn or the survey no longer waits for an answer."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.case_kinds import case_content_type
from casework.models import CaseEvent
from casework.personal_data import mask_email, mask_phone
from casework.services import case_event_record
from casework.tasks import enqueue
from casework.timeline import timeline_text

from .choices import AWAITING_ANSWER
from .sms import sms_sender
from .surveys import Survey

log = logging.getLogger(__name__)

LINK_PLACEHOLDER = "{link}"


class CustomerMessage(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    # The case the message is about (any kind); a survey's link messages also keep their survey.
    case_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, db_index=False)
    case_id = models.PositiveBigIntegerField(null=True, blank=True)
    case_number = models.CharField(_("case"), max_length=20, blank=True)
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="messages",
                               null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    to = models.CharField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    # The text with {link} where the link goes; the link itself until it is delivered.
    body = models.TextField(_("message"), max_length=2000)
    link = models.CharField(max_length=600, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    # A newer link (a reminder) made this one useless before it went out: it is not sent.
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, editable=False)
    last_error = models.CharField(_("last error"), max_length=500, blank=True, editable=False)

    class Meta:
        verbose_name = _("message to the customer")
        verbose_name_plural = _("messages to customers")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["created_at"], name="customer_message_unsent",
                                condition=models.Q(sent_at__isnull=True, superseded_at__isnull=True)),
                   models.Index(fields=["case_type", "case_id", "created_at"], name="customer_message_case")]

    def __str__(self) -> str:
        return f"{self.case_number or self.survey_id} {self.channel} {self.masked_to}"

    @property
    def text(self) -> str:
        """The text as delivered: the link in its place. A message of another case that carried a
        survey's link which no longer works (withdrawn by a newer one, or the survey answered or
        over) goes without the paragraph that held it."""
        survey = self.survey
        if survey is not None and not (self.link and survey.state in AWAITING_ANSWER):
            return without_link(self.body)
        return self.body.replace(LINK_PLACEHOLDER, self.link)

    @property
    def masked_to(self) -> str:
        return mask_email(self.to) if self.channel == self.Channel.EMAIL else mask_phone(self.to)

    @property
    def gave_up(self) -> bool:
        return self.sent_at is None and self.attempts >= settings.CUSTOMER_MESSAGE_MAX_ATTEMPTS

    @property
    def status(self) -> str:
        if self.sent_at is not None:
            return gettext("Sent")
        if self.superseded_at is not None:
            return gettext("Not sent: a newer link replaced it")
        if self.gave_up:
            return gettext("Failed: no more attempts")
        if self.attempts:
            return gettext("Failed, will be retried")
        return gettext("Waiting to be sent")


def without_link(body: str) -> str:
    """`body` without the paragraphs (separated by a blank line) that hold the link's place: a text
    carrying a link that may be withdrawn gives it a paragraph of its own."""
    return "\n\n".join(p for p in body.split("\n\n") if LINK_PLACEHOLDER not in p)


def customer_language() -> translation.override:
    """Messages to customers are written in the site's language (a customer's own is not known)."""
    return translation.override(settings.LANGUAGE_CODE)


def survey_link_url(token: str) -> str:
    """The customer's absolute address of the one-time link (the public answer page, /s/<token>/)."""
    return f"{settings.SITE_URL.rstrip('/')}/s/{token}/"


def customer_messages_queue(*, survey: Survey, token: str, reminder: bool = False) -> list[CustomerMessage]:
    """The link `token` to the customer by every channel they have (e-mail if an address, SMS to the
    phone), inside the caller's transaction; earlier unsent links of the survey are superseded, as
    the new link stops them working. Delivered after the commit."""
    now = timezone.now()
    unsent = CustomerMessage.objects.filter(survey=survey, sent_at__isnull=True, superseded_at__isnull=True)
    survey_type = case_content_type(survey)
    unsent.filter(case_type=survey_type).update(superseded_at=now, link="")
    # Another case's message that carried the earlier link (a complaint's closure) is still that
    # case's news: it goes out without the link.
    unsent.exclude(case_type=survey_type).update(link="")
    customer, link = survey.customer, survey_link_url(token)
    # The customer's language is not known: the site's own (Simplified Chinese by default).
    with customer_language():
        values = {"name": customer.name, "number": survey.number, "link": LINK_PLACEHOLDER,
                  "due": timezone.localtime(survey.due_at).strftime("%Y-%m-%d") if survey.due_at else "—"}
        if reminder:
            body = gettext("Dear %(name)s, a reminder: we would value your answers to our satisfaction survey "
                           "%(number)s by %(due)s. Open this link (it works once): %(link)s") % values
        else:
            body = gettext("Dear %(name)s, please tell us how satisfied you are with our service: survey "
                           "%(number)s, open until %(due)s. Open this link (it works once): %(link)s") % values
        subject = gettext("Satisfaction survey %(number)s") % values
    on_case = {"survey": survey, "case_type": case_content_type(survey), "case_id": survey.pk,
               "case_number": survey.number}
    messages = []
    if customer.email:
        messages.append(CustomerMessage(**on_case, channel=CustomerMessage.Channel.EMAIL, to=customer.email,
                                        subject=subject, body=body, link=link, created_at=now))
    if customer.phone:
        messages.append(CustomerMessage(**on_case, channel=CustomerMessage.Channel.SMS, to=customer.phone,
                                        body=body, link=link, created_at=now))
    created = CustomerMessage.objects.bulk_create(messages)
    if created:
        transaction.on_commit(_enqueue_delivery)
    return created


MESSAGE_QUEUED = timeline_text("satisfaction.customer_message_queued",
                               _("Message to the customer queued: %(subject)s"))


def customer_message_queue(*, case: Any, customer: Any, subject: str, text: str, link: str = "",
                           survey: Survey | None = None) -> list[CustomerMessage]:
    """`text` to the case's customer: by e-mail (if they have an address, with `subject`) and by SMS
    (if a phone), written in the caller's transaction and delivered after its commit; the case's
    timeline says a message was queued (its subject only: no address, number or text).

    `link`, a `survey`'s one-time link, goes where `text` has LINK_PLACEHOLDER, in a paragraph of
    its own (left out if the link is withdrawn before delivery); it is kept out of the stored text."""
    if link and (survey is None or LINK_PLACEHOLDER not in text):
        raise ValueError("a link needs its survey and its place in the text")
    now = timezone.now()
    on_case = {"case_type": case_content_type(case), "case_id": case.pk, "case_number": case.number,
               "survey": survey, "link": link}
    messages = []
    if customer.email:
        messages.append(CustomerMessage(**on_case, channel=CustomerMessage.Channel.EMAIL, to=customer.email,
                                        subject=subject, body=text, created_at=now))
    if customer.phone:
        messages.append(CustomerMessage(**on_case, channel=CustomerMessage.Channel.SMS, to=customer.phone,
                                        subject=subject, body=text, created_at=now))
    created = CustomerMessage.objects.bulk_create(messages)
    if created:
        # The subject as sent (in the customer's language); the line around it in the reader's.
        case_event_record(case=case, kind=CaseEvent.Kind.CONTACT, actor=None, action="customer_message",
                          lines=[MESSAGE_QUEUED.line(subject=subject)])
        transaction.on_commit(_enqueue_delivery)
    return created


def case_customer_messages(*, case: Any) -> list[CustomerMessage]:
    """The messages to a case's customer, oldest first (for its page)."""
    return list(CustomerMessage.objects.filter(case_type=case_content_type(case), case_id=case.pk)
                .order_by("created_at", "pk"))


def _enqueue_delivery() -> None:
    from .tasks import send_customer_messages

    enqueue(send_customer_messages)


def _deliver(message: CustomerMessage) -> None:
    text = message.text
    if message.channel == CustomerMessage.Channel.EMAIL:
        send_mail(subject=message.subject, message=text, from_email=None, recipient_list=[message.to])
    else:
        sms_sender().send(to=message.to, text=text)


def customer_messages_send_pending() -> tuple[int, int]:
    """Deliver the unsent messages until none is left to try now; returns (sent, failed).

    Each one is claimed (SKIP LOCKED on PostgreSQL: two workers never send the same one) and marked
    in its own transaction, so one failure neither stops the others nor loses itself."""
    sent = failed = 0
    tried: set[int] = set()
    survey_type = case_content_type(Survey)
    while True:
        with transaction.atomic():
            # A survey's link only while it waits for its answer: once answered, expired or unreachable
            # its link says "already answered" or "expired", and the customer is not to be asked again.
            # Any other case's message goes out whatever the case's state (one that carried a survey's
            # link, without it once the survey no longer waits: CustomerMessage.text).
            message = (CustomerMessage.objects.select_for_update(skip_locked=True, of=("self",))
                       .filter(~models.Q(case_type=survey_type) | models.Q(survey__state__in=AWAITING_ANSWER),
                               sent_at__isnull=True, superseded_at__isnull=True,
                               attempts__lt=settings.CUSTOMER_MESSAGE_MAX_ATTEMPTS)
                       .exclude(pk__in=tried).order_by("pk").first())
            if message is None:
                return sent, failed
            tried.add(message.pk)
            try:
                _deliver(message)
            except Exception as error:  # noqa: BLE001 — any gateway or mail failure is retried, never lost
                # Only the kind of failure: a mail server's or gateway's message often repeats the
                # address, the number or the text with its link, which the page and the log must not show.
                log.warning("message %s (%s) to the customer failed: %s", message.pk, message.channel,
                            type(error).__name__)
                CustomerMessage.objects.filter(pk=message.pk).update(
                    attempts=F("attempts") + 1, last_error=type(error).__name__[:500])
                failed += 1
            else:
                CustomerMessage.objects.filter(pk=message.pk).update(
                    sent_at=timezone.now(), attempts=F("attempts") + 1, last_error="", link="")
                sent += 1
