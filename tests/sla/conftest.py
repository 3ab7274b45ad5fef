"""A controlled clock for the SLA tests: intake refuses a receipt time in the future, so a case
received on a given day is registered with the services' clock set to that day."""

import pytest
from django.utils import timezone

from .clocked import at


@pytest.fixture
def clock(monkeypatch):
    """The time the services see (timezone.now), set by the test; None: the real time again (the
    logged-in clients' sessions were started at the real time and would have expired)."""
    real_now = timezone.now

    def set_now(text: str | None) -> None:
        monkeypatch.setattr(timezone, "now", real_now if text is None else lambda: at(text))

    return set_now
