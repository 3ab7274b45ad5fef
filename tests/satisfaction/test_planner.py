"""The campaign planner (seed 002 第十二条): "市场部每年对重点客户开展两次的全面调查，其中一次必须是走访
客户；对普通客户，每年至少实施一次调查满意度。" Key customers once a half-year with one visit a year,
ordinary customers once a calendar year, nobody twice in a period; a manager approves the list."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casework.models import CaseEvent, Customer
from satisfaction.models import Survey, SurveyCampaign
from satisfaction.planning import campaign_approve, campaign_drop_customer, campaign_plan, survey_may_be_sent

from ..factories import CustomerFactory

H1 = (date(2026, 1, 1), date(2026, 6, 30))
H2 = (date(2026, 7, 1), date(2026, 12, 31))


def plan(questionnaire, actor, audience="key", period=H1, contact_method="email"):
    return campaign_plan(audience=audience, period_start=period[0], period_end=period[1],
                         template_version=questionnaire, contact_method=contact_method, actor=actor, name="")


def listed(campaign):
    return {s.customer.name: s.contact_method for s in campaign.surveys.select_related("customer")}


@pytest.fixture
def customers(db):
    return {
        "key1": CustomerFactory(name="key1", tier=Customer.Tier.KEY),
        "key2": CustomerFactory(name="key2", tier=Customer.Tier.KEY),
        "ord1": CustomerFactory(name="ord1", tier=Customer.Tier.ORDINARY),
        "ord2": CustomerFactory(name="ord2", tier=Customer.Tier.ORDINARY),
        "pot": CustomerFactory(name="pot", tier=Customer.Tier.POTENTIAL),
    }


def test_key_customers_are_due_each_half_year_and_the_second_half_visits_the_unvisited(
        questionnaire, manager, customers):
    # 第十二条 "其中一次必须是走访客户": key1 is visited in the first half, key2 asked by e-mail.
    first = plan(questionnaire, manager, period=H1)
    assert listed(first) == {"key1": "email", "key2": "email"}
    Survey.objects.filter(campaign=first, customer=customers["key1"]).update(contact_method="visit")
    second = plan(questionnaire, manager, period=H2, contact_method="phone")
    assert listed(second) == {"key1": "phone", "key2": "visit"}
    assert all(s.state == "planned" for s in second.surveys.all())
    assert (first.status, second.status) == ("proposed", "proposed")


def test_a_customer_with_a_survey_in_the_period_is_not_proposed_again(questionnaire, manager, customers):
    plan(questionnaire, manager, period=(date(2026, 1, 1), date(2026, 3, 31)))
    with pytest.raises(ValidationError):  # both key customers already have one in this half-year
        plan(questionnaire, manager, period=(date(2026, 4, 1), date(2026, 6, 30)))


def test_a_failed_survey_does_not_count(questionnaire, manager, customers):
    first = plan(questionnaire, manager, period=H1)
    Survey.objects.filter(campaign=first, customer=customers["key1"]).update(state="unreachable")
    assert listed(plan(questionnaire, manager, period=H1)) == {"key1": "email"}


def test_ordinary_customers_are_due_once_a_calendar_year(questionnaire, manager, customers):
    spring = plan(questionnaire, manager, audience="ordinary", period=(date(2026, 3, 1), date(2026, 3, 31)))
    assert listed(spring) == {"ord1": "email", "ord2": "email"}  # neither key nor potential customers
    campaign_drop_customer(campaign=spring, customer=customers["ord2"], actor=manager)
    autumn = plan(questionnaire, manager, audience="ordinary", period=(date(2026, 9, 1), date(2026, 9, 30)))
    assert listed(autumn) == {"ord2": "email"}  # ord1 is already surveyed in 2026
    next_year = plan(questionnaire, manager, audience="ordinary", period=(date(2027, 1, 1), date(2027, 12, 31)))
    assert listed(next_year) == {"ord1": "email", "ord2": "email"}


def test_special_surveys_do_not_count_for_the_rounds(questionnaire, manager, customers, agent):
    Survey.objects.create(number="MY202603-900001", customer=customers["ord1"], template_version=questionnaire,
                          contact_method="phone", first_responder=agent)
    assert "ord1" in listed(plan(questionnaire, manager, audience="ordinary", period=H1))


@pytest.mark.parametrize("audience, period, field", [
    ("key", (date(2026, 5, 1), date(2026, 8, 31)), "period_end"),  # across two half-years
    ("ordinary", (date(2026, 12, 1), date(2027, 1, 31)), "period_end"),  # across two years
    ("ordinary", (date(2026, 6, 1), date(2026, 5, 1)), "period_end"),  # backwards
    ("special", H1, "audience"),
    ("key", (date(1990, 1, 1), date(1990, 6, 30)), "period_start"),
])
def test_bad_periods_are_field_errors(questionnaire, manager, customers, audience, period, field):
    with pytest.raises(ValidationError) as refused:
        plan(questionnaire, manager, audience=audience, period=period)
    assert field in refused.value.message_dict
    assert not SurveyCampaign.objects.exists()


def test_approval_makes_the_surveys_sendable_and_is_the_managers(questionnaire, manager, agent, customers):
    campaign = plan(questionnaire, agent)  # the desk may propose
    survey = campaign.surveys.first()
    assert not survey_may_be_sent(survey)  # `send` requires an approved campaign
    with pytest.raises(PermissionDenied):
        campaign_approve(campaign=campaign, actor=agent)
    campaign_approve(campaign=campaign, actor=manager)
    campaign.refresh_from_db()
    assert (campaign.status, campaign.approved_by) == ("approved", manager)
    assert survey_may_be_sent(Survey.objects.get(pk=survey.pk))
    assert CaseEvent.objects.filter(case_id=survey.pk, kind="created").count() == 1
    with pytest.raises(ValidationError):  # approved: the list no longer changes
        campaign_drop_customer(campaign=campaign, customer=survey.customer, actor=manager)
    with pytest.raises(ValidationError):
        campaign_approve(campaign=campaign, actor=manager)


def test_an_emptied_list_cannot_be_approved(questionnaire, manager, customers):
    campaign = plan(questionnaire, manager)
    for customer in (customers["key1"], customers["key2"]):
        campaign_drop_customer(campaign=campaign, customer=customer, actor=manager)
    with pytest.raises(ValidationError):
        campaign_drop_customer(campaign=campaign, customer=customers["key1"], actor=manager)
    with pytest.raises(ValidationError):
        campaign_approve(campaign=campaign, actor=manager)


# --- the pages -------------------------------------------------------------------------------------

def test_the_manager_plans_reviews_trims_and_approves_on_the_pages(manager_client, questionnaire, customers):
    response = manager_client.post("/satisfaction/planning/plan/", {
        "audience": "key", "period_start": "2026-07-01", "period_end": "2026-12-31",
        "template": questionnaire.template.pk, "contact_method": "email", "name": "2026 下半年重点客户"})
    assert response.status_code == 302
    campaign = SurveyCampaign.objects.get()
    review = manager_client.get(response.url).content.decode()
    assert "key1" in review and "key2" in review and "2026 下半年重点客户" in review
    dropped = manager_client.post(f"/satisfaction/planning/{campaign.pk}/drop/",
                                  {"customer": customers["key2"].pk})
    assert dropped.status_code == 302 and listed(campaign) == {"key1": "visit"}
    assert manager_client.post(f"/satisfaction/planning/{campaign.pk}/approve/").status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == "approved"


def test_only_a_manager_approves_on_the_page(agent_client, handler_a_client, manager, questionnaire, customers):
    campaign = plan(questionnaire, manager)
    assert agent_client.post(f"/satisfaction/planning/{campaign.pk}/approve/").status_code == 403
    assert handler_a_client.post(f"/satisfaction/planning/{campaign.pk}/approve/").status_code == 403
    assert handler_a_client.get(f"/satisfaction/planning/{campaign.pk}/").status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == "proposed"


@pytest.mark.parametrize("change, field", [
    ({"period_end": "2026-13-01"}, "period_end"),
    ({"period_end": "2027-03-01"}, "period_end"),
    ({"audience": "special"}, "audience"),
    ({"contact_method": "pigeon"}, "contact_method"),
    ({"template": "999999"}, "template"),
])
def test_bad_input_to_the_plan_form_is_a_field_error(manager_client, questionnaire, customers, change, field):
    data = {"audience": "key", "period_start": "2026-07-01", "period_end": "2026-12-31",
            "template": questionnaire.template.pk, "contact_method": "email", "name": ""}
    response = manager_client.post("/satisfaction/planning/plan/", {**data, **change})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not SurveyCampaign.objects.exists()


def test_a_long_proposed_list_is_shown_a_page_at_a_time(make_survey, manager_client, django_assert_max_num_queries):
    """An ordinary customers' campaign can propose thousands: the review page lists 100 at a time."""
    from satisfaction.planning_views import PLANNING_PAGE_SIZE

    first = make_survey()
    for _ in range(PLANNING_PAGE_SIZE + 19):
        make_survey()
    url = f"/satisfaction/planning/{first.campaign_id}/"
    with django_assert_max_num_queries(15):
        page = manager_client.get(url)
    assert page.context["total"] == PLANNING_PAGE_SIZE + 20 and len(page.context["surveys"]) == PLANNING_PAGE_SIZE
    assert len(manager_client.get(url + "?page=2").context["surveys"]) == 20
