"""The one-time link and the answer rules shared by the customer's page and the staff's entry."""

from datetime import timedelta

import pytest
from django.utils import timezone

from satisfaction.answers import TEXT_MAX_CHARS, survey_answers_form, survey_answers_store
from satisfaction.links import LinkRefused, survey_from_link, survey_link_issue
from satisfaction.models import Survey, SurveyAnswer


def sent(make_survey, **fields):
    survey = make_survey(**fields)
    token = survey_link_issue(survey=survey, now=timezone.now())
    Survey.objects.filter(pk=survey.pk).update(state="sent", link_digest=survey.link_digest,
                                               link_expires_at=survey.link_expires_at)
    return Survey.objects.get(pk=survey.pk), token


def test_a_link_opens_its_own_survey_and_nothing_else(make_survey):
    survey, token = sent(make_survey)
    other, other_token = sent(make_survey)
    assert survey_from_link(token=token) == survey
    assert survey_from_link(token=other_token) == other


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # tampered signature
    lambda t: "x" * 80,  # guessed
    lambda t: "",
    lambda t: t + "\x00",
])
def test_a_tampered_or_guessed_link_is_refused(make_survey, mangle):
    _survey, token = sent(make_survey)
    with pytest.raises(LinkRefused) as refused:
        survey_from_link(token=mangle(token))
    assert refused.value.reason == "invalid"


def test_a_reissued_link_replaces_the_earlier_one(make_survey):
    survey, first = sent(make_survey)
    second = survey_link_issue(survey=survey, now=timezone.now())
    survey.save()
    with pytest.raises(LinkRefused):
        survey_from_link(token=first)
    assert survey_from_link(token=second) == survey


def test_an_expired_or_used_link_is_refused(make_survey, settings):
    survey, token = sent(make_survey)
    later = timezone.now() + timedelta(days=settings.SURVEY_LINK_VALID_DAYS, seconds=1)
    with pytest.raises(LinkRefused) as refused:
        survey_from_link(token=token, now=later)
    assert refused.value.reason == "expired"
    Survey.objects.filter(pk=survey.pk).update(state="answered", link_used_at=timezone.now())
    with pytest.raises(LinkRefused) as refused:
        survey_from_link(token=token)
    assert refused.value.reason == "used"


@pytest.mark.parametrize("data, field", [
    ({"q2": "会"}, "q1"),  # a required score missing
    ({"q1": "7", "q2": "会"}, "q1"),  # a score of 7
    ({"q1": "0", "q2": "会"}, "q1"),
    ({"q1": "5", "q2": "也许"}, "q2"),  # not one of the options
    ({"q1": "5", "q2": "会", "q3": "长" * (TEXT_MAX_CHARS + 1)}, "q3"),  # a 100 KB comment is refused too
])
def test_bad_answers_are_field_errors(make_survey, data, field):
    form = survey_answers_form(make_survey(), data)
    assert not form.is_valid() and field in form.errors


def test_good_answers_are_stored_in_the_questions_version(make_survey):
    survey = make_survey()
    form = survey_answers_form(survey, {"q1": "4", "q2": "会", "q3": ""})
    assert form.is_valid(), form.errors
    assert survey_answers_store(survey=survey, form=form) == 2
    stored = {a.question.position: (a.score, a.choice) for a in SurveyAnswer.objects.filter(survey=survey)}
    assert stored == {1: (4, ""), 2: (None, "会")}
    assert {a.question.version_id for a in SurveyAnswer.objects.filter(survey=survey)} == {survey.template_version_id}
