"""The customer's one-time link page /s/<token>/ (seed 002 第十二条: the customer is surveyed;
seed 004 5.5.1: the customer's opinions recorded on the satisfaction questionnaire): it opens one
survey, once, without a login, shows nothing but the questions, and refuses everything else in
plain words without a 500."""

import re
import time
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.models import CaseEvent
from casework.services import case_event_record
from satisfaction import links
from satisfaction.link_answers import survey_answer_by_link
from satisfaction.models import Survey, SurveyAnswer
from sla.models import Milestone

from ..factories import CustomerFactory
from .test_links_and_answers import sent

GOOD = {"q1": "5", "q2": "会", "q3": "师傅很准时"}


def url(token):
    return reverse("survey_link:answer", kwargs={"token": token})


def without_csrf(html):
    """A page as text, without the per-response CSRF token and the way back to this very URL
    (the language switch carries both)."""
    return re.sub(r'name="(csrfmiddlewaretoken|next)" (type="hidden" )?value="[^"]*"', "", html.decode())


def nothing_written(survey):
    fresh = Survey.objects.get(pk=survey.pk)
    assert (fresh.state, fresh.version, fresh.link_used_at) == (survey.state, survey.version, None)
    assert not SurveyAnswer.objects.filter(survey=survey).exists()
    assert not CaseEvent.objects.filter(case_id=survey.pk, action="answer_by_link").exists()


def test_the_link_opens_the_questionnaire_without_a_login(client, make_survey):
    survey, token = sent(make_survey)
    page = client.get(url(token), HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("您对服务的总体满意程度？", "您会向朋友推荐我们吗？", "其他意见", survey.number,
                 "csrfmiddlewaretoken"):
        assert text in html
    assert 'type="radio"' in html and "<textarea" in html
    assert "no-store" in page["Cache-Control"]  # one customer's page: no shared cache keeps it


def test_the_page_shows_nothing_of_the_customer_the_staff_or_anyone_else(client, make_survey, agent, unit_a):
    agent.first_name, agent.last_name = "晓明", "王"
    agent.save()
    customer = CustomerFactory(name="赵敏", organisation="华东重工", phone="13811112222", email="zhao@example.com")
    survey, token = sent(make_survey, customer=customer, responsible_unit=unit_a)
    case_event_record(case=survey, kind=CaseEvent.Kind.COMMENT, actor=agent, action="comment",
                      note="内部备注：客户上次投诉赔偿未谈妥")
    other, _other_token = sent(make_survey, customer=CustomerFactory(name="钱伟", organisation="西北物流"))
    for language in ("zh-CN", "en"):
        html = client.get(url(token), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        for secret in ("赵敏", "华东重工", "13811112222", "zhao@example.com",  # the customer beyond a greeting
                       "晓明", "王晓明", "agent",  # the staff
                       "内部备注", "赔偿未谈妥",  # the internal note
                       unit_a.name, survey.campaign.name,  # the unit rated, the campaign (its audience)
                       "钱伟", "西北物流", other.number):  # another customer, another survey
            assert secret not in html, (language, secret)


def test_english_when_the_browser_asks_and_chinese_by_default(client, make_survey, settings):
    settings.LANGUAGE_CODE = "zh-hans"  # production's default (the test settings use English)
    _survey, token = sent(make_survey)
    chinese = client.get(url(token)).content.decode()
    assert "您对服务的总体满意程度？" in chinese and "会" in chinese and "How satisfied" not in chinese
    english = client.get(url(token), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "How satisfied are you with our service overall?" in english and ">Yes<" in english
    assert "Customer satisfaction survey" in english
    assert "您对服务" not in english


def test_the_language_switch_on_the_page_comes_back_to_it_in_english(client, make_survey, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    _survey, token = sent(make_survey)
    page = client.get(url(token)).content.decode()
    assert 'name="language" value="en"' in page and f'name="next" type="hidden" value="{url(token)}"' in page
    switched = client.post(reverse("set_language"), {"language": "en", "next": url(token)}, follow=True)
    assert switched.redirect_chain[-1][0] == url(token)
    assert "How satisfied are you with our service overall?" in switched.content.decode()


def test_answering_stores_the_answers_closes_the_survey_and_meets_its_clock(client, make_survey):
    survey, token = sent(make_survey)
    clock = Milestone.objects.create(case_type=ContentType.objects.get_for_model(Survey), case_id=survey.pk,
                                     case_number=survey.number, kind="survey_response",
                                     started_at=timezone.now() - timedelta(days=1),
                                     due_at=timezone.now() + timedelta(days=13))
    response = client.post(url(token), GOOD, HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.status_code == 302 and response["Location"] == reverse("survey_link:thanks")
    thanks = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert thanks.status_code == 200 and '<html lang="zh-hans">' in thanks.content.decode()
    fresh = Survey.objects.get(pk=survey.pk)
    assert fresh.state == "answered" and fresh.version == survey.version + 1
    assert fresh.answered_at == fresh.link_used_at == fresh.closed_at is not None
    stored = {a.question.position: (a.score, a.choice, a.text) for a in fresh.answers.all()}
    assert stored == {1: (5, "", ""), 2: (None, "会", ""), 3: (None, "", "师傅很准时")}
    [event] = CaseEvent.objects.filter(case_type__model="survey", case_id=survey.pk)
    assert (event.kind, event.action, event.actor, event.from_state, event.to_state) == (
        "transition", "answer_by_link", None, "sent", "answered")
    assert "师傅很准时" not in event.note  # the customer's words stay with the answers
    clock.refresh_from_db()
    assert clock.status == "met" and clock.met_at == fresh.answered_at


def test_a_replayed_post_gets_already_answered_and_one_set_of_answers(client, make_survey):
    survey, token = sent(make_survey)
    assert client.post(url(token), GOOD).status_code == 302
    again = client.post(url(token), {"q1": "1", "q2": "不会"})
    assert again.status_code == 410
    assert "already been answered" in again.content.decode()
    assert client.get(url(token)).status_code == 410
    assert sorted(SurveyAnswer.objects.filter(survey=survey).values_list("question__position", "score")) == [
        (1, 5), (2, None), (3, None)]
    assert CaseEvent.objects.filter(case_id=survey.pk, action="answer_by_link").count() == 1
    assert Survey.objects.get(pk=survey.pk).version == survey.version + 1


def test_an_expired_link_says_so(client, make_survey, settings):
    survey, token = sent(make_survey)
    Survey.objects.filter(pk=survey.pk).update(link_expires_at=timezone.now() - timedelta(seconds=1))
    for response in (client.get(url(token)), client.post(url(token), GOOD)):
        assert response.status_code == 410 and "This link has expired" in response.content.decode()
    nothing_written(survey)


def test_a_survey_the_sweep_expired_is_not_called_answered(client, make_survey):
    # The answer's due date (the campaign's days) comes before the link's own end.
    survey, token = sent(make_survey)
    Survey.objects.filter(pk=survey.pk).update(state="expired", closed_at=timezone.now())
    response = client.get(url(token))
    assert response.status_code == 410 and "This link has expired" in response.content.decode()


def forged(survey_pk, secret):
    """A token signed as the site would sign it: what a leaked secret key would allow, at worst."""
    return signing.dumps({"s": survey_pk, "k": secret}, salt=links.SALT)


def test_a_tampered_guessed_or_another_surveys_token_looks_the_same_and_opens_nothing(client, make_survey):
    survey, token = sent(make_survey)
    other, other_token = sent(make_survey, customer=CustomerFactory(name="钱伟"))
    payload, signature = token.rsplit(":", 1)
    other_payload = other_token.rsplit(":", 1)[0]
    secret_of_other = signing.loads(other_token, salt=links.SALT)["k"]
    refusals = {
        "tampered signature": token[:-3] + ("xyz" if not token.endswith("xyz") else "abc"),
        "another survey's payload with this signature": f"{other_payload}:{signature}",
        "this survey's number with another's secret": forged(survey.pk, secret_of_other),
        "guessed": "x" * 80,
        "guessed number": forged(survey.pk, "0" * 43),
        "over 500 characters": token + "A" * 500,
    }
    pages = set()
    for name, bad in refusals.items():
        for response in (client.get(url(bad)), client.post(url(bad), GOOD)):
            assert response.status_code == 404, name
            html = without_csrf(response.content)
            assert "does not open a survey" in html and "钱伟" not in html and survey.number not in html, name
            pages.add(html)
    assert len(pages) == 1  # one page for all: it does not tell whether a survey exists
    nothing_written(survey)
    assert Survey.objects.get(pk=other.pk).state == "sent"
    assert client.get(url(other_token)).status_code == 200  # the other survey's own link still works


@pytest.mark.parametrize("data, field, message", [
    ({"q2": "会"}, "q1", "This field is required."),  # a required score missing
    ({"q1": "7", "q2": "会"}, "q1", "Select a valid choice. 7 is not one of the available choices."),
    ({"q1": "5", "q2": "也许"}, "q2", "Select a valid choice."),
    ({"q1": "5", "q2": "会", "q3": "长" * 100_000}, "q3", "Ensure this value has at most 2000 characters"),
    ({"q1": "five", "q2": "会"}, "q1", "Select a valid choice."),
])
def test_bad_answers_are_a_readable_message_and_write_nothing(client, make_survey, data, field, message):
    survey, token = sent(make_survey)
    response = client.post(url(token), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing has been saved yet." in html and message in html
    assert field in response.context["form"].errors
    assert f'id="question-{field[1:]}"' in html
    nothing_written(survey)
    assert client.post(url(token), GOOD).status_code == 302  # the link still works afterwards


def test_the_form_needs_its_csrf_token_even_for_an_anonymous_visitor(make_survey):
    survey, token = sent(make_survey)
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(url(token), GOOD).status_code == 403
    nothing_written(survey)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', browser.get(url(token)).content.decode())[1]
    assert browser.post(url(token), {**GOOD, "csrfmiddlewaretoken": csrf}).status_code == 302


def test_a_nul_byte_is_refused_before_the_page(client, make_survey):
    survey, token = sent(make_survey)
    assert client.post(url(token), {**GOOD, "q3": "a\x00b"}).status_code == 400
    nothing_written(survey)


def test_a_staff_user_sees_the_same_customer_page(agent_client, make_survey):
    # Logged in or not, the page is the customer's: no staff header, no navigation.
    _survey, token = sent(make_survey)
    html = agent_client.get(url(token)).content.decode()
    assert 'class="mainnav"' not in html and "/complaints/" not in html


def test_the_domain_function_refuses_a_link_the_desk_closed_meanwhile(make_survey):
    survey, token = sent(make_survey)
    Survey.objects.filter(pk=survey.pk).update(state="unreachable")
    with pytest.raises(links.LinkRefused) as refused:
        survey_answer_by_link(token=token, data=GOOD, now=timezone.now())
    assert refused.value.reason == "expired"
    assert not SurveyAnswer.objects.exists()



@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_posts_of_the_same_link_at_once_give_one_set_of_answers(make_survey, monkeypatch):
    # A double click or two tabs: the second request waits on the row the first claimed, then finds
    # the link used. The winner holds its transaction a moment so that the loser really waits.
    from satisfaction import link_answers

    from ..complaints.test_concurrency import run_together

    survey, token = sent(make_survey)
    original = link_answers.case_event_record

    def slow(**kwargs):
        time.sleep(0.3)
        return original(**kwargs)

    monkeypatch.setattr(link_answers, "case_event_record", slow)
    results = run_together(
        lambda: survey_answer_by_link(token=token, data=GOOD, now=timezone.now()),
        lambda: survey_answer_by_link(token=token, data={"q1": "1", "q2": "不会"}, now=timezone.now()),
    )
    answered = [r for r in results if isinstance(r, Survey)]
    refused = [r for r in results if isinstance(r, links.LinkRefused)]
    assert len(answered) == 1 and len(refused) == 1 and refused[0].reason == "used", results
    stored = dict(SurveyAnswer.objects.filter(survey=survey).values_list("question__position", "score"))
    assert stored in ({1: 5, 2: None, 3: None}, {1: 1, 2: None})  # one request's answers, never a mix
    assert CaseEvent.objects.filter(case_id=survey.pk, action="answer_by_link").count() == 1
    assert Survey.objects.get(pk=survey.pk).version == survey.version + 1
