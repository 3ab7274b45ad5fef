import pytest

from .lifecycle import Clock, Desk


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, "2026-09-01 09:00")


@pytest.fixture
def desk(clock, agent, handler_a, manager):
    return Desk(clock, agent=agent, handler=handler_a, manager=manager)


# The survey fixtures (a questionnaire, a campaign, make_survey), for the satisfaction figures.
from ..satisfaction.conftest import campaign, make_survey, questionnaire  # noqa: E402, F401
