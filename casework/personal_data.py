"""Customers' personal data in exports (SPEC §1): masked unless the user holds the explicit permission."""

from __future__ import annotations

import re

PERMISSION = "casework.view_personal_data"


def may_see_unmasked(user) -> bool:
    return bool(user is not None and user.is_active and user.has_perm(PERMISSION))


def mask_phone(phone: str) -> str:
    """13812345678 → 138****5678; 021-64881234 → 021-****1234; keeps at most 3 leading and 4 trailing digits."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < 7:
        return "*" * len(digits)
    area, _, number = (phone.partition("-") if "-" in phone and not phone.startswith("+") else ("", "", digits))
    if area:
        number = re.sub(r"\D", "", number)
        return f"{area}-{'*' * (len(number) - 4)}{number[-4:]}"
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_email(email: str) -> str:
    name, at, domain = (email or "").partition("@")
    return f"{name[:1]}***@{domain}" if at else ""
