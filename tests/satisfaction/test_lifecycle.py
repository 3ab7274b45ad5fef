"""A survey's lifecycle (seed 002 第十二条: each customer asked; 第六条–第七条: by questionnaire, phone
or visit): planned → sent → answered, or reminded → answered, or expired, or unreachable — each
step by the desk only, on the timeline, with the answer clock started at sending and stopped at the end."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from satisfaction import tasks
from satisfaction.answers import survey_answers_form
from satisfaction.links import LinkRefused, survey_from_link, survey_link_issue
from satisfaction.models import CustomerMessage, SurveyAnswer
from satisfaction.services import surveys_expire
from satisfaction.workflow import WORKFLOW
from sla.models import Milestone
from workflow.act import case_act

from ..factories import CustomerFactory
from .steps import at, post_action, reload, timeline

SENT = "2026-07-06 10:00"  # a Monday; the campaign gives 14 days: due Monday 07-20 10:00


def answer_clock(survey):
    return Milestone.objects.get(case_type__model="survey", case_id=survey.pk, kind="survey_response")


@pytest.fixture
def survey(make_survey, unit_a):
    return make_survey(responsible_unit=unit_a, customer=CustomerFactory(email="li@example.com"))


@pytest.fixture
def sent(survey, clock, agent_client):
    clock(SENT)
    assert post_action(agent_client, survey, "send", note="首轮发送").status_code == 302
    return reload(survey)


def test_sending_fixes_the_due_time_starts_the_clock_and_issues_the_link(survey, clock, agent_client,
                                                                          handler_a_client):
    """Seed 002 第十二条: the survey goes to the customer; its due time comes from the campaign."""
    clock(SENT)
    # The unit rated sees the survey, but only the desk acts.
    assert post_action(handler_a_client, survey, "send").status_code == 403
    assert reload(survey).state == "planned"
    assert post_action(agent_client, survey, "send", note="首轮发送").status_code == 302
    survey = reload(survey)
    assert (survey.state, survey.sent_at, survey.due_at) == ("sent", at(SENT), at("2026-07-20 10:00"))
    assert survey.link_expires_at == at("2026-08-05 10:00")  # SURVEY_LINK_VALID_DAYS = 30
    clock_row = answer_clock(survey)
    # Warning at 80 % of the working time (240 h over the weekdays: 192 h in), one working day overdue at
    # the next day's 16:30 cut-off.
    assert (clock_row.started_at, clock_row.due_at, clock_row.warn_at, clock_row.overdue_at, clock_row.status) == (
        at(SENT), at("2026-07-20 10:00"), at("2026-07-16 10:00"), at("2026-07-21 16:30"), "pending")
    assert (clock_row.owner, clock_row.unit, clock_row.policy) == (survey.first_responder, survey.responsible_unit,
                                                                   None)
    assert timeline(survey) == [("send", "planned", "sent", "Link sent; answer due 2026-07-20 10:00.\n首轮发送")]
    assert sorted(CustomerMessage.objects.filter(survey=survey).values_list("channel", flat=True)) == ["email", "sms"]


def test_a_survey_of_a_campaign_not_yet_approved_is_not_sent(survey, clock, agent_client):
    """Seed 002 第十一条: the year's survey plan is approved before it is carried out."""
    survey.campaign.status = "proposed"
    survey.campaign.save()
    clock(SENT)
    assert post_action(agent_client, survey, "send").status_code == 409
    assert (reload(survey).state, CustomerMessage.objects.filter(survey=survey).count()) == ("planned", 0)


def test_a_special_survey_rates_the_unit_its_complaint_counts_against(make_survey, clock, agent_client, unit_b):
    """Planned at intake before the complaint had a unit; by the time it is sent the complaint has one."""
    from ..factories import ComplaintFactory

    complaint = ComplaintFactory(responsible_unit=unit_b)
    survey = make_survey(campaign=None, complaint=complaint)
    clock(SENT)
    assert post_action(agent_client, survey, "send").status_code == 302
    assert reload(survey).responsible_unit == unit_b


def test_a_special_survey_is_due_after_the_configured_days(make_survey, clock, agent_client, settings):
    settings.SURVEY_SPECIAL_ANSWER_WITHIN_DAYS = 7
    survey = make_survey(campaign=None)
    clock(SENT)
    assert post_action(agent_client, survey, "send").status_code == 302
    assert reload(survey).due_at == at("2026-07-13 10:00")


def test_planned_sent_answered_by_staff_on_the_phone(sent, clock, agent_client, handler_a_client):
    clock("2026-07-08 15:00")
    answers = {"q1": "4", "q2": "会", "q3": "客服态度很好", "method": "phone", "note": "电话回访"}
    assert post_action(handler_a_client, sent, "record_answers", **answers).status_code == 403
    assert not SurveyAnswer.objects.exists()
    assert post_action(agent_client, sent, "record_answers", **answers).status_code == 302
    survey = reload(sent)
    assert (survey.state, survey.answered_at, survey.closed_at) == ("answered", at("2026-07-08 15:00"),
                                                                   at("2026-07-08 15:00"))
    assert list(survey.answers.values_list("question__position", "score", "choice", "text")) == [
        (1, 4, "", ""), (2, None, "会", ""), (3, None, "", "客服态度很好")]
    assert (answer_clock(survey).status, answer_clock(survey).met_at) == ("met", at("2026-07-08 15:00"))
    assert timeline(survey)[-1] == ("record_answers", "sent", "answered", "Answers taken by phone.\n电话回访")
    # The customer's link stops working once staff have the answers.
    with pytest.raises(LinkRefused):
        survey_from_link(token=survey_link_issue(survey=survey, now=at("2026-07-08 15:00")))


def test_a_planned_survey_answered_at_a_visit_needs_no_sending(survey, clock, manager_client):
    """Seed 002 第七条: the visit; the key customers' second survey is one (第十二条)."""
    clock(SENT)
    assert post_action(manager_client, survey, "record_answers", q1="5", q2="会", method="visit").status_code == 302
    survey = reload(survey)
    assert survey.state == "answered"
    assert timeline(survey) == [("record_answers", "planned", "answered", "Answers taken at a visit.")]
    assert not Milestone.objects.filter(case_id=survey.pk, case_type__model="survey").exists()


def test_sent_reminded_answered_through_the_new_link(sent, clock, agent_client, handler_a_client):
    first_token = CustomerMessage.objects.filter(survey=sent).first().link.rsplit("/s/", 1)[1].rstrip("/")
    assert survey_from_link(token=first_token, now=at("2026-07-10 09:00")) == sent
    clock("2026-07-13 09:00")
    assert post_action(handler_a_client, sent, "remind").status_code == 403
    assert post_action(agent_client, sent, "remind", note="第二次提醒").status_code == 302
    survey = reload(sent)
    assert (survey.state, survey.reminded_at, survey.due_at) == ("reminded", at("2026-07-13 09:00"),
                                                                at("2026-07-20 10:00"))
    # The earlier link stops working; the new one opens the survey; the unsent earlier messages are not sent.
    with pytest.raises(LinkRefused) as refused:
        survey_from_link(token=first_token, now=at("2026-07-13 09:05"))
    assert refused.value.reason == "invalid"
    first, reminder = (CustomerMessage.objects.filter(survey=survey, channel="email").order_by("pk"))
    assert (first.superseded_at, first.link) == (at("2026-07-13 09:00"), "")
    token = reminder.link.rsplit("/s/", 1)[1].rstrip("/")
    assert survey_from_link(token=token, now=at("2026-07-13 09:05")) == survey
    assert "a reminder" in reminder.body

    clock("2026-07-14 20:00")
    form = survey_answers_form(survey, {"q1": "2", "q2": "不会"})
    assert form.is_valid()
    case_act(workflow=WORKFLOW, case=survey, actor=None, action="answer_by_link",
             data={"version": survey.version, "answers": form}, expected_version=survey.version)
    survey = reload(survey)
    assert (survey.state, survey.answered_at, survey.link_used_at) == ("answered", at("2026-07-14 20:00"),
                                                                      at("2026-07-14 20:00"))
    assert list(survey.answers.values_list("score", flat=True)) == [2, None]
    assert answer_clock(survey).status == "met"
    assert [row[:3] for row in timeline(survey)] == [("send", "planned", "sent"), ("remind", "sent", "reminded"),
                                                    ("answer_by_link", "reminded", "answered")]
    assert timeline(survey)[1][3] == "第二次提醒"


def test_no_person_may_take_the_systems_steps(sent, agent, manager):
    page_actions = [step.name for step in WORKFLOW.available(case=sent, user=manager)]
    assert page_actions == ["remind", "record_answers", "mark_unreachable"]
    with pytest.raises(PermissionDenied):
        case_act(workflow=WORKFLOW, case=sent, actor=agent, action="expire", data={})


def test_the_task_expires_what_is_past_its_due_time_once(sent, make_survey, clock, agent_client):
    """Seed 002 第十二条 asks each customer; an unanswered survey ends at its due time."""
    later = make_survey(customer=CustomerFactory())
    clock("2026-07-08 10:00")
    assert post_action(agent_client, later, "send").status_code == 302  # due 07-22
    clock("2026-07-20 10:00")
    assert tasks.surveys_expire() == 0  # due at this very moment: not yet past
    clock("2026-07-20 10:01")
    assert tasks.surveys_expire() == 1
    survey = reload(sent)
    assert (survey.state, survey.closed_at) == ("expired", at("2026-07-20 10:01"))
    assert (answer_clock(survey).status, answer_clock(survey).met_at) == ("breached", at("2026-07-20 10:01"))
    assert timeline(survey)[-1] == ("expire", "sent", "expired", "No answer by the due time.")
    assert reload(later).state == "sent"
    assert tasks.surveys_expire() == 0  # idempotent
    assert len(timeline(survey)) == 2


def test_one_survey_that_cannot_be_expired_does_not_stop_the_others(make_survey, clock, agent_client, monkeypatch):
    first, second = make_survey(), make_survey()
    clock(SENT)
    for survey in (first, second):
        assert post_action(agent_client, survey, "send").status_code == 302
    real_act = case_act

    def broken_for_first(**kwargs):
        if kwargs["case"].pk == first.pk:
            raise RuntimeError("bad row")
        return real_act(**kwargs)

    monkeypatch.setattr("satisfaction.services.case_act", broken_for_first)
    assert surveys_expire(now=at(SENT) + timedelta(days=15)) == 1
    assert (reload(first).state, reload(second).state) == ("sent", "expired")


def test_an_unreachable_customer_ends_the_survey_and_its_clock(sent, clock, manager_client, handler_a_client):
    clock("2026-07-09 11:00")
    assert post_action(handler_a_client, sent, "mark_unreachable", note="x").status_code == 403
    response = post_action(manager_client, sent, "mark_unreachable", note="")
    assert response.status_code == 400  # the reason is needed
    assert reload(sent).state == "sent"
    assert post_action(manager_client, sent, "mark_unreachable", note="三次电话无人接听").status_code == 302
    survey = reload(sent)
    assert (survey.state, survey.closed_at) == ("unreachable", at("2026-07-09 11:00"))
    assert answer_clock(survey).status == "cancelled"
    assert timeline(survey)[-1] == ("mark_unreachable", "sent", "unreachable", "三次电话无人接听")
    # Closed: nothing more, and the expiry task leaves it alone.
    assert post_action(manager_client, survey, "remind").status_code == 409
    assert surveys_expire(now=at("2026-08-01 10:00")) == 0
