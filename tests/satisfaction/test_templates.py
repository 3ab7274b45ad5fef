"""Questionnaires and their versions (seed 002 第十条: 市场部……编制客户满意度调查表): an edit is a new
version; answers already given keep the questions they answered."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from satisfaction.answers import survey_answers_form, survey_answers_store
from satisfaction.models import SurveyAnswer, SurveyQuestion
from satisfaction.templates_service import (
    MAX_OPTIONS,
    TEXT_MAX_CHARS,
    template_create,
    template_revise,
    version_questions,
)

SCORE = {"kind": "score", "text_zh": "总体满意度", "text_en": "Overall satisfaction"}
CHOICE = {"kind": "choice", "text_zh": "会推荐吗？", "text_en": "Would you recommend us?",
          "choices_zh": ["会", "不会"], "choices_en": ["Yes", "No"]}
TEXT = {"kind": "text", "text_zh": "其他意见", "text_en": "Other comments", "required": False}


def test_a_new_questionnaire_is_version_1_with_its_questions_in_order(manager):
    version = template_create(name="年度调查", questions=[SCORE, CHOICE, TEXT], actor=manager)
    assert version.number == 1 and version.created_by == manager
    questions = list(version.questions.order_by("position"))
    assert [(q.position, q.kind, q.required) for q in questions] == [(1, "score", True), (2, "choice", True),
                                                                     (3, "text", False)]
    assert questions[1].choices_en == ["Yes", "No"]


def test_an_edit_makes_version_2_and_leaves_version_1_as_it_was(manager):
    v1 = template_create(name="年度调查", questions=[SCORE, CHOICE], actor=manager)
    before = list(SurveyQuestion.objects.filter(version=v1).values())
    v2 = template_revise(template=v1.template, questions=[{**SCORE, "text_zh": "您对服务满意吗？"}, TEXT],
                         actor=manager)
    assert (v2.template, v2.number) == (v1.template, 2)
    assert v1.template.latest_version() == v2
    assert list(SurveyQuestion.objects.filter(version=v1).values()) == before
    assert [q["text_zh"] for q in version_questions(v2)] == ["您对服务满意吗？", "其他意见"]


def test_a_survey_answered_on_version_1_still_shows_version_1(make_survey, questionnaire, manager):
    survey = make_survey()
    form = survey_answers_form(survey, {"q1": "5", "q2": "会", "q3": "很好"})
    assert form.is_valid(), form.errors
    survey_answers_store(survey=survey, form=form)
    template_revise(template=questionnaire.template, questions=[SCORE, TEXT], actor=manager)
    survey.refresh_from_db()
    assert survey.template_version == questionnaire  # the survey keeps its version
    answers = SurveyAnswer.objects.filter(survey=survey).select_related("question__version")
    assert {(a.question.version.number, a.question.position, a.question.text_zh) for a in answers} == {
        (1, 1, "您对服务的总体满意程度？"), (1, 2, "您会向朋友推荐我们吗？"), (1, 3, "其他意见")}
    assert [f for f in survey_answers_form(survey).fields] == ["q1", "q2", "q3"]  # still version 1's form
    assert questionnaire.template.latest_version().number == 2


@pytest.mark.parametrize("questions, fragment", [
    ([], "at least one question"),
    ([{**SCORE, "kind": "slider"}], "Question 1"),
    ([SCORE, {**TEXT, "text_en": ""}], "Question 2"),
    ([{**SCORE, "text_zh": "长" * (TEXT_MAX_CHARS + 1)}], "Question 1"),
    ([{**CHOICE, "choices_zh": ["会"], "choices_en": ["Yes"]}], "Question 1"),  # one option
    ([{**CHOICE, "choices_en": ["Yes"]}], "Question 1"),  # counts differ
    ([{**CHOICE, "choices_zh": [str(n) for n in range(MAX_OPTIONS + 1)],
       "choices_en": [str(n) for n in range(MAX_OPTIONS + 1)]}], "Question 1"),
    ([{**CHOICE, "choices_zh": ["会", "会"]}], "Question 1"),  # indistinguishable answers
    ([{**SCORE, "choices_zh": ["a", "b"], "choices_en": ["a", "b"]}], "Question 1"),  # options on a score
    ([{**SCORE, "position": 2}], "Question 1"),  # positions 1..n
], ids=["none", "kind", "english-missing", "too-long", "one-option", "count-differs", "eleven-options",
        "same-option", "options-on-score", "position"])
def test_bad_questions_are_refused_and_nothing_is_made(manager, questionnaire, questions, fragment):
    with pytest.raises(ValidationError) as refused:
        template_revise(template=questionnaire.template, questions=questions, actor=manager)
    assert fragment in " ".join(refused.value.message_dict["questions"])
    assert questionnaire.template.versions.count() == 1


def test_names_are_unique_and_only_a_manager_edits(manager, agent, questionnaire):
    with pytest.raises(ValidationError) as refused:
        template_create(name=questionnaire.template.name, questions=[SCORE], actor=manager)
    assert "name" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        template_revise(template=questionnaire.template, questions=[SCORE], actor=agent)


def test_the_revise_page_makes_the_next_version(manager_client, agent_client, handler_a_client, questionnaire):
    url = f"/satisfaction/planning/templates/{questionnaire.template.pk}/revise/"
    assert agent_client.get(url).status_code == 403
    assert handler_a_client.get(url).status_code == 403
    page = manager_client.get(url)
    assert page.status_code == 200 and "您对服务的总体满意程度？" in page.content.decode()  # version 1 to start from
    data = {"form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "0",
            "form-0-kind": "score", "form-0-text_zh": "满意吗？", "form-0-text_en": "Satisfied?",
            "form-0-required": "on",
            "form-1-kind": "choice", "form-1-text_zh": "渠道", "form-1-text_en": "Channel",
            "form-1-choices_zh": "电话\n邮件", "form-1-choices_en": "Phone\nE-mail",
            "form-2-kind": "", "form-2-text_zh": "", "form-2-text_en": ""}  # a blank row is ignored
    response = manager_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = questionnaire.template.latest_version()
    assert latest.number == 2 and latest.questions.count() == 2
    assert latest.questions.get(position=2).choices_en == ["Phone", "E-mail"]
    bad = manager_client.post(url, {**data, "form-1-choices_en": "Phone"})
    assert bad.status_code == 400 and questionnaire.template.versions.count() == 2



def test_the_admin_shows_versions_and_edits_none(questionnaire, django_user_model, client):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(root)
    template = questionnaire.template
    page = client.get(f"/admin/satisfaction/surveytemplate/{template.pk}/change/")
    assert page.status_code == 200
    version_page = client.get(f"/admin/satisfaction/surveytemplateversion/{questionnaire.pk}/change/")
    assert "您对服务的总体满意程度？" in version_page.content.decode()
    assert 'name="_save"' not in version_page.content.decode()  # read-only: no save button
    listing = client.get("/admin/satisfaction/surveytemplate/").content.decode()
    assert f"/satisfaction/planning/templates/{template.pk}/revise/" in listing
