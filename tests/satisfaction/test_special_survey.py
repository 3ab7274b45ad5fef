"""The special survey (seed 002 第十二条: "当出现重大投诉问题或有特殊情况时，也可组织针对特定对象的客户
进行满意度专项调查"): made once when a complaint becomes major — at intake or when its details are
corrected — and, when SURVEY_AFTER_CLOSED_COMPLAINT is on, after every closed complaint."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from casework.models import CaseEvent
from complaints import services
from complaints.models import Complaint
from satisfaction.models import Survey, SurveyTemplate, SurveyTemplateVersion
from satisfaction.planning import special_questionnaire, survey_after_major_complaint, survey_may_be_sent

from ..factories import ComplaintFactory, CustomerFactory


def register(agent, **extra):
    return services.complaint_register(
        actor=agent, customer=extra.pop("customer", None) or CustomerFactory(), channel="hotline",
        received_at=timezone.now(), category="parts_supply", subject="备件延误", description="备件延误两周", **extra)


def test_a_complaint_major_at_intake_gets_one_special_survey(questionnaire, agent):
    complaint = register(agent, estimated_loss=Decimal("60000"))  # "general" severity: major
    survey = Survey.objects.get(complaint=complaint)
    assert (survey.campaign, survey.customer, survey.responsible_unit) == (None, complaint.customer, None)
    assert (survey.state, survey.contact_method, survey.template_version) == ("planned", "phone", questionnaire)
    assert survey.first_responder == agent and survey.number.startswith("MY")
    assert survey_may_be_sent(survey)  # no campaign: no approval to wait for
    assert complaint.number in CaseEvent.objects.get(case_id=survey.pk, case_type__model="survey", kind="created").text
    assert not Survey.objects.filter(complaint=register(agent)).exists()  # an ordinary complaint: none


def test_a_complaint_made_major_by_a_correction_gets_one_even_when_saved_again(questionnaire, agent, unit_a):
    complaint = register(agent)
    complaint = services.complaint_update_details(complaint=complaint, actor=agent, changes={"is_major": True})
    survey = Survey.objects.get(complaint=complaint)
    services.complaint_update_details(complaint=Complaint.objects.get(pk=complaint.pk), actor=agent,
                                      changes={"subject": "备件延误三周"})
    complaint.refresh_from_db()
    complaint.save()
    # A retry of the maker itself is harmless too (the unique constraint survey_once_per_complaint).
    assert survey_after_major_complaint(complaint=complaint, actor=agent) is None
    assert list(Survey.objects.filter(complaint=complaint)) == [survey]


def test_the_questionnaire_comes_from_the_setting_or_is_the_newest(questionnaire, manager, settings):
    other = SurveyTemplate.objects.create(name="投诉专项调查")
    v1 = SurveyTemplateVersion.objects.create(template=other, number=1)
    v2 = SurveyTemplateVersion.objects.create(template=other, number=2)
    assert special_questionnaire() == v2  # the newest questionnaire, its latest version
    settings.SURVEY_SPECIAL_TEMPLATE = questionnaire.template.name
    assert special_questionnaire() == questionnaire
    assert v1.number == 1


def test_without_any_questionnaire_no_survey_is_made(agent, db):
    complaint = register(agent, estimated_loss=Decimal("60000"))
    assert complaint.is_major and not Survey.objects.exists()


@pytest.fixture
def resolved(unit_a):
    return ComplaintFactory(state="resolved", responsible_unit=unit_a)


def test_a_closed_complaint_gets_one_only_when_the_setting_is_on(questionnaire, agent, manager, resolved, unit_a,
                                                                 settings):
    assert settings.SURVEY_AFTER_CLOSED_COMPLAINT is False  # the default
    closed = services.complaint_record_callback(complaint=resolved, actor=agent, outcome="satisfied")
    assert closed.state == "closed" and not Survey.objects.filter(complaint=closed).exists()

    settings.SURVEY_AFTER_CLOSED_COMPLAINT = True
    closed = services.complaint_record_callback(complaint=ComplaintFactory(state="resolved", responsible_unit=unit_a),
                                                actor=agent, outcome="satisfied")
    survey = Survey.objects.get(complaint=closed)
    assert (survey.responsible_unit, survey.contact_method) == (unit_a, "phone")
    forced = services.complaint_force_close(complaint=ComplaintFactory(state="assigned", responsible_unit=unit_a),
                                            actor=manager, reason="客户撤诉")
    assert Survey.objects.filter(complaint=forced).count() == 1


def test_a_major_complaint_closed_with_the_setting_on_still_has_one(questionnaire, agent, manager, settings):
    settings.SURVEY_AFTER_CLOSED_COMPLAINT = True
    complaint = register(agent, estimated_loss=Decimal("60000"))
    services.complaint_force_close(complaint=complaint, actor=manager, reason="重复登记")
    assert Survey.objects.filter(complaint=complaint).count() == 1


def test_a_refused_action_leaves_no_survey(questionnaire, agent, resolved, settings):
    settings.SURVEY_AFTER_CLOSED_COMPLAINT = True
    with pytest.raises(PermissionDenied):  # the agent may not force-close: nothing at all is written
        services.complaint_force_close(complaint=resolved, actor=agent, reason="x")
    assert not Survey.objects.exists()
