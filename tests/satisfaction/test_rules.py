"""Rules a survey keeps whichever way it moves: an unapproved campaign's survey does not move, the
unit it rates is the one its complaint counts against, how it was answered is what happened, its
link lasts as long as it waits, and only complaints (not repair requests) get special surveys."""

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints import services as complaint_services
from satisfaction.links import survey_from_link, survey_link_issue
from satisfaction.models import Survey

from ..factories import ComplaintFactory
from .steps import post_action, reload


@pytest.mark.parametrize("action, fields", [
    ("record_answers", {"q1": "5", "q2": "会", "method": "phone"}),
    ("mark_unreachable", {"note": "电话停机"}),
])
def test_nothing_of_an_unapproved_campaigns_survey_moves(make_survey, agent_client, action, fields):
    """Seed 002 第十一条: the survey plan is approved before it is carried out — by any contact method."""
    survey = make_survey()
    survey.campaign.status = "proposed"
    survey.campaign.save()
    assert post_action(agent_client, survey, action, **fields).status_code == 409
    assert reload(survey).state == "planned" and not survey.answers.exists()


def test_answered_at_a_visit_is_what_counts_not_the_plan(make_survey, agent_client):
    """Seed 002 第十二条: one of a key customer's two surveys a year is a visit — the one that happened."""
    survey = make_survey(contact_method="visit")
    assert post_action(agent_client, survey, "record_answers", q1="4", q2="会", method="phone").status_code == 302
    assert reload(survey).contact_method == "phone"


def test_a_special_survey_answered_by_phone_rates_the_complaints_unit(make_survey, agent_client, unit_a, unit_b):
    """The unit the complaint counts against (seed 001 5.2.2.1), even when the survey is never sent."""
    complaint = ComplaintFactory(responsible_unit=unit_b, counted_unit=unit_a)
    survey = make_survey(campaign=None, complaint=complaint)
    assert post_action(agent_client, survey, "record_answers", q1="3", q2="会", method="phone").status_code == 302
    assert reload(survey).responsible_unit == unit_a


def test_a_link_lasts_as_long_as_its_survey_waits(make_survey, settings):
    settings.SURVEY_LINK_VALID_DAYS = 30
    survey = make_survey()
    now = timezone.now()
    Survey.objects.filter(pk=survey.pk).update(state="sent", due_at=now + timedelta(days=60))
    survey = reload(survey)
    token = survey_link_issue(survey=survey, now=now)
    survey.save()
    assert survey_from_link(token=token, now=now + timedelta(days=40)) == survey


def test_a_repair_request_gets_no_complaint_survey(questionnaire, agent, manager, settings):
    """The special survey follows complaints (seed 002 第十二条); a repair request is not one."""
    from tests.factories import CustomerFactory

    settings.SURVEY_AFTER_CLOSED_COMPLAINT = True
    repair = complaint_services.complaint_register(
        actor=agent, customer=CustomerFactory(), channel="hotline", received_at=timezone.now(),
        category="product_quality", subject="水泵漏水", description="d", kind="repair_request",
        estimated_loss=60000)
    complaint_services.complaint_force_close(complaint=repair, actor=manager, reason="重复报修")
    assert not Survey.objects.filter(complaint=repair).exists()
