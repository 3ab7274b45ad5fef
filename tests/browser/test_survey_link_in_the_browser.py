"""A customer answers a satisfaction survey on a phone through the one-time link (seed 002 第十二条;
seed 004 5.5.1: the customer's opinions recorded on the questionnaire), in Chromium, without a login."""

import re

import pytest

from satisfaction.models import Survey

from ..satisfaction.conftest import campaign, make_survey, questionnaire  # noqa: F401 — fixtures
from ..satisfaction.test_links_and_answers import sent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    """A phone-sized Chromium in Chinese, nobody logged in; a CSP refusal on its console fails the test."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True, is_mobile=True)
    refused = []
    page = context.new_page()
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    yield page
    context.close()
    assert refused == [], refused


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_customer_answers_on_a_phone_in_chinese(phone, live_server, make_survey, person, manager):  # noqa: F811
    """…and the manager then finds the answer in the campaign's results."""
    survey, token = sent(make_survey)
    phone.goto(f"{live_server.url}/s/{token}/")
    assert phone.locator("html").get_attribute("lang") == "zh-hans"
    assert phone.locator("#question-1 legend").inner_text().startswith("1. 您对服务的总体满意程度？")
    assert fits_the_screen(phone)
    five = phone.locator("#question-1 label.score").filter(has_text=re.compile(r"^5$"))
    box = five.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # a thumb's target

    phone.locator("#question-1 label.score").filter(has_text=re.compile(r"^4$")).click()
    phone.locator("#question-2 label.option").filter(has_text=re.compile(r"^会$")).click()
    phone.fill("#question-3 textarea", "维修师傅很准时，态度也好。")
    assert fits_the_screen(phone)
    phone.click("button.submit")
    phone.wait_for_url(f"{live_server.url}/s/thanks/")
    assert fits_the_screen(phone)

    survey.refresh_from_db()
    assert survey.state == "answered" and survey.link_used_at is not None
    stored = {a.question.position: (a.score, a.choice, a.text) for a in survey.answers.all()}
    assert stored == {1: (4, "", ""), 2: (None, "会", ""), 3: (None, "", "维修师傅很准时，态度也好。")}

    # The link worked once: opened again, it says the survey was answered.
    response = phone.goto(f"{live_server.url}/s/{token}/")
    assert response.status == 410 and phone.locator("h1").count() == 1
    assert Survey.objects.get(pk=survey.pk).answers.count() == 3

    # The manager, at a desk, opens the campaign's results: the answer, the response rate and index.
    desk = person(manager.username)
    desk.goto(f"{live_server.url}/satisfaction/campaigns/{survey.campaign_id}/")
    results = desk.locator("main").inner_text()
    assert survey.number in results and "维修师傅很准时，态度也好。" in results
    figures = desk.locator(".campaign-figures").inner_text()
    assert "100.0%" in figures  # one sent, one answered
    assert "75.0" in figures  # a score of 4: (4 − 1) / 4 × 100


def test_the_customer_switches_to_english_and_a_missing_answer_is_shown_in_place(phone, live_server,
                                                                                  make_survey):  # noqa: F811
    survey, token = sent(make_survey)
    phone.goto(f"{live_server.url}/s/{token}/")
    phone.click(".langswitch button[value=en]")
    phone.wait_for_url(f"{live_server.url}/s/{token}/")
    assert phone.locator("html").get_attribute("lang") == "en"
    assert "How satisfied are you with our service overall?" in phone.locator("#question-1 legend").inner_text()
    # Only the choice: the browser's own check stops at the missing score, so skip it to see the server's.
    phone.locator("#question-2 label.option").filter(has_text=re.compile(r"^Yes$")).click()
    phone.evaluate("document.querySelector('form.survey-form').noValidate = true")
    phone.click("button.submit")
    assert phone.locator("#question-1 .errors").inner_text() == "This field is required."
    assert fits_the_screen(phone)
    assert Survey.objects.get(pk=survey.pk).state == "sent" and not survey.answers.exists()
