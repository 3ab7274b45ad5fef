"""Phone numbers as the hotline knows them: one written form per number, whatever was typed.

A caller is found again by phone (`customer_find_or_create`, the portal's tracking lookup), so
"+86 138 0000 1111", "138-0000-1111" and the full-width "１３８００００１１１１" must all become the
same "13800001111", rather than being refused or stored as three customers. The written forms:

  mobile      13800001111              (11 digits, 1[3-9]…)
  landline    010-12345678, 0571-8765432, with an extension: 010-12345678-123
              (the area code is 3 digits for 01x/02x — Beijing, Shanghai, Tianjin, Chongqing and
              the big cities of 02x — and 4 digits elsewhere, as the national numbering plan has it)
  service     400-123-4567

The country code (+86, 0086, 86 before a mobile) goes, and so do spaces, dots, brackets and dashes
in the wrong places. What cannot be read as one of these is left as typed (only trimmed) for the
validator to refuse with its message.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# What a stored number looks like; the same pattern as before normalisation existed, so a number
# stored earlier in any accepted form still passes (the data migration rewrites them too).
phone_validator = RegexValidator(
    regex=r"^(\+?86)?(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|400-?\d{3}-?\d{4})$",
    message=_("Enter a mainland mobile number (11 digits) or a landline such as 010-12345678."),
)

_SEPARATORS = re.compile(r"[\s.()\[\]/_–—‐-―−-]+")
_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x|#)", re.IGNORECASE)
_MOBILE = re.compile(r"1[3-9]\d{9}")


def _area_code_length(digits: str) -> int:
    return 3 if digits[1] in "12" else 4


def _landline(groups: list[str]) -> str | None:
    """The written form of a landline given as dash-separated digit groups, or None."""
    digits, extension = "".join(groups), ""
    # A last group of 1-6 digits after a complete number is the extension (010-12345678-123).
    if len(groups) >= 2 and 1 <= len(groups[-1]) <= 6:
        head = "".join(groups[:-1])
        if head.startswith("0") and len(head) >= 4 and 7 <= len(head) - _area_code_length(head) <= 8:
            digits, extension = head, groups[-1]
    if not digits.startswith("0") or len(digits) < 4:
        return None
    area = _area_code_length(digits)
    local = digits[area:]
    if not 7 <= len(local) <= 8:
        return None
    return f"{digits[:area]}-{local}" + (f"-{extension}" if extension else "")


def phone_normalise(raw: str) -> str:
    """The one written form of `raw` (see the module's docstring), or `raw` trimmed if it is none."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    cleaned = _SEPARATORS.sub("-", _EXTENSION.sub("-", text)).strip("-")
    international = False
    for prefix in ("+86", "0086", "+-86"):
        if cleaned.startswith(prefix):
            cleaned, international = cleaned[len(prefix):].lstrip("-"), True
            break
    groups = [g for g in cleaned.split("-") if g]
    if not groups or not all(g.isdigit() for g in groups):
        return text
    digits = "".join(groups)
    if digits.startswith("86") and _MOBILE.fullmatch(digits[2:]):
        return digits[2:]
    if _MOBILE.fullmatch(digits):
        return digits
    if digits.startswith("400") and len(digits) == 10:
        return f"400-{digits[3:6]}-{digits[6:]}"
    if international and not digits.startswith("0"):
        # Dialled from abroad the area code loses its 0: +86 10 1234 5678 is 010-12345678.
        groups[0] = "0" + groups[0]
    return _landline(groups) or text


class PhoneFormField(forms.CharField):
    """A form's phone field: what was typed, normalised before it is validated."""

    default_validators = [phone_validator]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return phone_normalise(super().to_python(value))


class PhoneModelField(models.CharField):  # type: ignore[type-arg]  # django-stubs' generic CharField
    """A model's phone column: `full_clean` (admin, services, imports) stores the written form."""

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return phone_normalise(value) if isinstance(value, str) else value

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": PhoneFormField, **kwargs})
