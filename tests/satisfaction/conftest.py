"""A questionnaire and surveys made the way the product makes them, for the satisfaction tests."""

from datetime import date

import pytest
from django.utils import timezone

from casework.models import CaseNumberSequence
from satisfaction.models import Survey, SurveyCampaign, SurveyQuestion, SurveyTemplate, SurveyTemplateVersion

from ..factories import CustomerFactory


@pytest.fixture
def questionnaire(db):
    """Version 1 of a questionnaire: a required score, a required choice, an optional comment."""
    template = SurveyTemplate.objects.create(name="年度客户满意度调查")
    version = SurveyTemplateVersion.objects.create(template=template, number=1)
    SurveyQuestion.objects.create(version=version, position=1, kind="score", text_zh="您对服务的总体满意程度？",
                                  text_en="How satisfied are you with our service overall?")
    SurveyQuestion.objects.create(version=version, position=2, kind="choice", text_zh="您会向朋友推荐我们吗？",
                                  text_en="Would you recommend us to a friend?",
                                  choices_zh=["会", "不会"], choices_en=["Yes", "No"])
    SurveyQuestion.objects.create(version=version, position=3, kind="text", text_zh="其他意见",
                                  text_en="Other comments", required=False)
    return version


@pytest.fixture
def campaign(questionnaire, manager):
    """An approved campaign: its surveys may be sent."""
    return SurveyCampaign.objects.create(name="2026 下半年重点客户", audience="key", period_start=date(2026, 7, 1),
                                         period_end=date(2026, 12, 31), template_version=questionnaire,
                                         contact_method="email", planned_by=manager, status="approved",
                                         approved_by=manager, approved_at=timezone.now())


@pytest.fixture
def make_survey(campaign, agent):
    def make(**fields):
        [number] = CaseNumberSequence.next_numbers(prefix="MY", at=timezone.now(), count=1)
        values = dict(number=number, campaign=campaign, customer=CustomerFactory(),
                      template_version=campaign.template_version, contact_method=campaign.contact_method,
                      first_responder=agent)
        values.update(fields)
        return Survey.objects.create(**values)

    return make


@pytest.fixture(autouse=True)
def _logins_on_the_real_clock(settings):
    """Logins are kept in the cache, whose expiry runs on the real clock, so a test moving the clock
    (`clock`) months on logs no one out (autouse: in place before the clients log in)."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"


@pytest.fixture
def clock(monkeypatch):
    """`clock("2026-07-06 10:00")` (Shanghai) sets what timezone.now() answers."""
    from .steps import at

    def set_to(text: str) -> None:
        monkeypatch.setattr(timezone, "now", lambda: at(text))

    return set_to
