"""The staff's survey pages: the queue, a survey's page, the campaigns and a campaign's page — the desk
sees every survey and acts; a handler sees only the surveys rating their unit and acts on none. Bad
input to the staff's answer form is a readable message and writes nothing (seed 002 第十三条: the
answers collected are what the analysis is made of)."""

import pytest

from satisfaction.models import SurveyAnswer

from ..factories import CustomerFactory
from .steps import post_action, reload, timeline


@pytest.fixture
def surveys(make_survey, unit_a, unit_b):
    return {"a": make_survey(responsible_unit=unit_a, customer=CustomerFactory(name="王芳")),
            "b": make_survey(responsible_unit=unit_b, customer=CustomerFactory(name="赵强")),
            "none": make_survey(customer=CustomerFactory(name="孙丽"))}


def numbers_in(page: str, surveys) -> list[str]:
    return sorted(key for key, survey in surveys.items() if survey.number in page)


def test_the_desk_sees_every_survey_a_handler_those_of_their_unit(surveys, agent_client, handler_a_client):
    assert numbers_in(agent_client.get("/satisfaction/").content.decode(), surveys) == ["a", "b", "none"]
    assert numbers_in(handler_a_client.get("/satisfaction/").content.decode(), surveys) == ["a"]
    assert handler_a_client.get(f"/satisfaction/{surveys['b'].number}/").status_code == 404
    assert handler_a_client.get(f"/satisfaction/{surveys['a'].number}/").status_code == 200
    # No intake page: surveys come from campaigns.
    assert agent_client.get("/satisfaction/new/").status_code == 404


def test_the_queue_filters_by_campaign_state_unit_and_customer(surveys, make_survey, agent_client, campaign,
                                                               questionnaire, unit_b, clock):
    from satisfaction.models import SurveyCampaign

    other = SurveyCampaign.objects.create(name="2026 普通客户", audience="ordinary", period_start=campaign.period_start,
                                          period_end=campaign.period_end, template_version=questionnaire,
                                          contact_method="phone")
    surveys["other"] = make_survey(campaign=other)
    clock("2026-07-06 10:00")
    assert post_action(agent_client, surveys["b"], "send").status_code == 302

    def listed(query):
        return numbers_in(agent_client.get(f"/satisfaction/?{query}").content.decode(), surveys)

    assert listed(f"campaign={other.pk}") == ["other"]
    assert listed("state=sent") == ["b"]
    assert listed("state=planned") == ["a", "none", "other"]
    assert listed(f"unit={unit_b.pk}") == ["b"]
    assert listed("q=王芳") == ["a"]
    assert listed("state=answered") == []
    assert agent_client.get("/satisfaction/?campaign=nonsense&state=%00").status_code in (200, 400)


def test_the_survey_page_shows_its_facts_answers_outbox_actions_and_timeline(surveys, clock, agent_client,
                                                                              handler_a_client):
    survey = surveys["a"]
    survey.customer.email = "wf@example.com"
    survey.customer.save()
    clock("2026-07-06 10:00")
    page = agent_client.get(f"/satisfaction/{survey.number}/").content.decode()
    assert "Send the survey" in page and "Record the answers" in page and "Customer unreachable" in page
    assert "Expire" not in page and "Answered through the link" not in page
    assert "年度客户满意度调查 v1" in page and "2026 下半年重点客户" in page and "E-mail questionnaire" in page
    assert post_action(agent_client, survey, "send").status_code == 302
    answered = post_action(agent_client, survey, "record_answers", q1="5", q2="会", q3="很好", method="phone")
    assert answered.status_code == 302
    page = agent_client.get(f"/satisfaction/{survey.number}/").content.decode()
    assert '<dd class="survey-due">2026-07-20 10:00</dd>' in page
    assert "How satisfied are you with our service overall?</dt><dd>5 / 5</dd>" in page
    assert "Waiting to be sent" in page and page.count("<td>wf@example.com</td>") == 1
    assert "Link sent; answer due 2026-07-20 10:00." in page and "Answers taken by phone." in page
    assert "Survey answer due" in page  # the clock in the deadlines box
    unit_page = handler_a_client.get(f"/satisfaction/{survey.number}/").content.decode()
    assert "Nothing for you to do on this survey now." in unit_page


def test_campaigns_and_a_campaign_page_with_its_surveys_and_answers(surveys, clock, agent_client, handler_a_client,
                                                                    campaign):
    assert campaign.name in agent_client.get("/satisfaction/campaigns/").content.decode()
    clock("2026-07-06 10:00")
    answered = post_action(agent_client, surveys["a"], "record_answers", q1="3", q2="不会", method="visit")
    assert answered.status_code == 302
    page = agent_client.get(f"/satisfaction/campaigns/{campaign.pk}/").content.decode()
    assert numbers_in(page, surveys) == ["a", "b", "none"]
    assert "<td>3</td><td>不会</td><td>—</td>" in page
    assert "satisfaction/_campaign_figures.html" not in page  # the partial is included, not named
    assert numbers_in(handler_a_client.get(f"/satisfaction/campaigns/{campaign.pk}/").content.decode(),
                      surveys) == ["a"]
    assert agent_client.get("/satisfaction/campaigns/999/").status_code == 404


def test_the_header_links_the_survey_queue(agent_client, handler_a_client, admin_user, client):
    assert 'href="/satisfaction/"' in agent_client.get("/units/").content.decode()
    assert 'href="/satisfaction/"' in handler_a_client.get("/satisfaction/").content.decode()
    client.force_login(admin_user)
    assert 'href="/satisfaction/"' not in client.get("/units/").content.decode()


@pytest.mark.parametrize("fields, error", [
    ({"q1": "7", "q2": "会"}, "Select a valid choice. 7 is not one of the available choices."),
    ({"q2": "会"}, "This field is required."),
    ({"q1": "4", "q2": "会", "q3": "很" * 100_000},
     "Ensure this value has at most 2000 characters (it has 100000)."),
    ({"q1": "4", "q2": "也许"}, "Select a valid choice. 也许 is not one of the available choices."),
])
def test_bad_answers_are_a_message_and_write_nothing(surveys, agent_client, fields, error):
    """Seed 002 第十三条: what is collected must be a questionnaire's valid answers."""
    survey = surveys["a"]
    response = post_action(agent_client, survey, "record_answers", method="phone", **fields)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert (reload(survey).state, SurveyAnswer.objects.count(), timeline(survey)) == ("planned", 0, [])


def test_a_replayed_answer_post_writes_nothing_more(surveys, agent_client):
    survey = surveys["a"]
    version = survey.version
    assert post_action(agent_client, survey, "record_answers", version=version, q1="4", q2="会",
                       method="phone").status_code == 302
    replay = post_action(agent_client, survey, "record_answers", version=version, q1="1", q2="不会", method="phone")
    assert replay.status_code == 409
    assert list(SurveyAnswer.objects.values_list("score", flat=True)) == [4, None]
    assert len(timeline(survey)) == 1


def test_the_queue_and_the_survey_page_take_a_bounded_number_of_queries(make_survey, unit_a, clock, agent_client,
                                                                         django_assert_max_num_queries):
    clock("2026-07-06 10:00")
    for _ in range(12):
        survey = make_survey(responsible_unit=unit_a, customer=CustomerFactory(email="x@example.com"))
        assert post_action(agent_client, survey, "send").status_code == 302
        assert post_action(agent_client, survey, "record_answers", q1="4", q2="会", q3="好",
                           method="phone").status_code == 302
    with django_assert_max_num_queries(12):
        assert agent_client.get("/satisfaction/?state=all").status_code == 200
    with django_assert_max_num_queries(20):
        assert agent_client.get(f"/satisfaction/{survey.number}/").status_code == 200
    with django_assert_max_num_queries(14):
        assert agent_client.get(f"/satisfaction/campaigns/{survey.campaign_id}/").status_code == 200
