"""Logging filters for what Django logs about requests."""

from __future__ import annotations

import logging
import re

# Seven digits or more: a mobile (11) or landline (7-8) number, e.g. a customer search
# `/customers/?q=13800001111` in runserver's request line. Case numbers have at most six in a row.
LONG_DIGITS = re.compile(r"\d{7,}")


class MaskLongDigits(logging.Filter):
    """Replace runs of 7+ digits in the message with ***, so phone numbers stay out of the logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = LONG_DIGITS.sub("***", message)
        if masked != message:
            # Formatted here: the digits may be in the arguments as well as in the format string.
            record.msg, record.args = masked, ()
        return True
