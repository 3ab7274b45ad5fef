"""A mail server that takes its time: the filebased backend, SLOW_MAIL_SECONDS per message.

The scale-out test's workers use it so that mailing the outbox outlasts a sweep interval and
several senders work on it at once, as they do on a real SMTP server that answers slowly."""

import os
import time

from django.core.mail.backends.filebased import EmailBackend as FileBackend


class EmailBackend(FileBackend):
    def write_message(self, message):
        time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "0")))
        super().write_message(message)
