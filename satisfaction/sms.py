"""Sending a text message to a customer's phone. The product talks to an SMS gateway through one
small interface; which class is used is the setting SMS_SENDER (a dotted path). The default writes
the message to the log with the number masked, so a laptop or a test sends nothing."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from casework.personal_data import mask_phone

log = logging.getLogger(__name__)


class SmsSender(Protocol):
    def send(self, *, to: str, text: str) -> None:
        """Hand the text to the gateway; raise on failure (the outbox retries it)."""


class LogSmsSender:
    """No gateway: the message goes to the log (its number masked; the text holds a one-time link,
    which is only ever logged here, on a machine without a gateway)."""

    def send(self, *, to: str, text: str) -> None:
        log.info("SMS to %s: %s", mask_phone(to), text)


def sms_sender() -> SmsSender:
    sender: SmsSender = import_string(settings.SMS_SENDER)()
    return sender
