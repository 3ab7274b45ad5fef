"""Logging filters for what Django logs about requests."""

from __future__ import annotations

import logging
import re

# Seven digits or more: a mobile (11) or landline (7-8) number, e.g. a customer search
# `/customers/?q=13800001111` in runserver's request line. Case numbers have at most six in a row.
LONG_DIGITS = re.compile(r"\d{7,}")
# A customer's survey link (/s/<token>/) answers the survey while it works: its token is a secret.
SURVEY_LINK = re.compile(r"/s/[^/\s?#\"']{8,}")


def mask_secrets(text: str) -> str:
    """Phone numbers and live survey-link tokens out of a log line."""
    return SURVEY_LINK.sub("/s/***", LONG_DIGITS.sub("***", text))


class MaskLongDigits(logging.Filter):
    """Replace runs of 7+ digits (phone numbers) and survey-link tokens in the message with ***."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            # Formatted here: the digits may be in the arguments as well as in the format string.
            record.msg, record.args = masked, ()
        return True
