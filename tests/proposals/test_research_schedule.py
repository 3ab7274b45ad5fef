"""The unit's research and its schedule. Seed 000, 第五条 3: 相关部门的研究分析时间原则上不超过一个月，
否则应报告具体日程安排 — the unit researches a proposal for at most a calendar month from routing;
research that runs longer reports its concrete schedule. The clock is set by hand: routed on
31 January 2026 at 10:00, the research is due on 28 February at 10:00."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.models import CaseEvent, Notification
from proposals import services
from proposals.models import Proposal

from .helpers import post_action, register, reload, timeline_actions

SHANGHAI = ZoneInfo("Asia/Shanghai")
ROUTED = datetime(2026, 1, 31, 10, 0, tzinfo=SHANGHAI)
DUE = datetime(2026, 2, 28, 10, 0, tzinfo=SHANGHAI)
WITHIN = DUE - timedelta(minutes=1)
AFTER = DUE + timedelta(minutes=1)
SCHEDULE = "第1-2周收集数据，第3周试验，3月20日前提交结论"


@pytest.fixture(autouse=True)
def clock(monkeypatch, settings):
    """`clock(moment)` sets what timezone.now() answers from then on (the services, forms and pages all
    ask it). Logins are kept in the cache, whose expiry runs on the real clock, so moving the clock a
    month on does not log anyone out (autouse: in place before the clients log in)."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"

    def set_to(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
    return set_to


@pytest.fixture
def routed(clock, agent_client, manager_client, unit_a):
    """A proposal registered, acknowledged and routed to unit A at ROUTED."""
    clock(ROUTED - timedelta(hours=2))
    register(agent_client)
    proposal = Proposal.objects.get()
    assert post_action(agent_client, proposal, "acknowledge", note="已致谢").status_code == 302
    clock(ROUTED)
    assert post_action(manager_client, proposal, "route", unit=unit_a.pk).status_code == 302
    return reload(proposal)


def evaluate(client, proposal, **fields):
    return post_action(client, proposal, "evaluate", decision="adopted", opinion="可行",
                       planned_implementation_on="2026-06-30", measures="合并工序", **fields)


@pytest.mark.parametrize(("routed_at", "due"), [
    (datetime(2026, 1, 31, 10, 0, tzinfo=SHANGHAI), datetime(2026, 2, 28, 10, 0, tzinfo=SHANGHAI)),
    (datetime(2028, 1, 31, 17, 0, tzinfo=SHANGHAI), datetime(2028, 2, 29, 17, 0, tzinfo=SHANGHAI)),  # leap year
    (datetime(2026, 3, 15, 9, 0, tzinfo=SHANGHAI), datetime(2026, 4, 15, 9, 0, tzinfo=SHANGHAI)),
    (datetime(2026, 12, 31, 9, 0, tzinfo=SHANGHAI), datetime(2027, 1, 31, 9, 0, tzinfo=SHANGHAI)),
])
def test_the_research_is_due_a_calendar_month_after_routing(routed_at, due):
    """研究分析时间原则上不超过一个月: a calendar month from routing, the month's last day when it is shorter."""
    assert Proposal(routed_at=routed_at).research_due_at == due
    assert Proposal().research_due_at is None  # not routed: no research yet


def test_evaluation_within_the_month_needs_no_schedule(routed, clock, handler_a_client):
    """研究分析时间原则上不超过一个月: research done within the month reports no schedule."""
    clock(WITHIN)
    assert evaluate(handler_a_client, routed).status_code == 302
    proposal = reload(routed)
    assert (proposal.state, proposal.research_schedule, proposal.research_schedule_at) == ("evaluated", "", None)


@pytest.mark.parametrize("decision", ["adopted", "not_adopted"])
def test_evaluation_after_the_month_without_a_schedule_is_a_field_error(routed, clock, handler_a_client, handler_a,
                                                                        decision):
    """否则应报告具体日程安排: a result filed after the month, with no schedule reported, is refused with
    a field error on the schedule (never a 500), whatever the decision; nothing is written."""
    clock(AFTER)
    response = post_action(handler_a_client, routed, "evaluate", decision=decision, opinion="需要更多时间研究",
                           planned_implementation_on="2026-06-30", measures="合并工序")
    assert response.status_code == 400
    errors = response.context["actions"]
    [form] = [form for step, form in errors if step.name == "evaluate"]
    assert list(form.errors) == ["research_schedule"]
    assert "report its schedule" in response.content.decode()
    after = reload(routed)
    assert (after.state, after.version) == ("under_review", routed.version)
    assert timeline_actions(after)[-1] == "route"

    # The services refuse the same way.
    with pytest.raises(ValidationError) as refused:
        services.proposal_evaluate(proposal=after, actor=handler_a, decision=decision, opinion="x",
                                   planned_implementation_on=date(2026, 6, 30), measures="m")
    assert list(refused.value.message_dict) == ["research_schedule"]


def test_evaluation_after_the_month_with_a_schedule_goes_through(routed, clock, handler_a_client):
    """否则应报告具体日程安排: the late result carries its schedule and goes through."""
    clock(AFTER)
    assert evaluate(handler_a_client, routed, research_schedule=SCHEDULE).status_code == 302
    proposal = reload(routed)
    assert (proposal.state, proposal.research_schedule, proposal.research_schedule_at) == ("evaluated", SCHEDULE, AFTER)


def test_a_not_adopted_late_result_keeps_its_schedule(routed, clock, handler_a_client):
    """否则应报告具体日程安排: the schedule is the research's, not the plan's, so 'not adopted' keeps it too."""
    clock(AFTER)
    assert post_action(handler_a_client, routed, "evaluate", decision="not_adopted", opinion="成本过高",
                       research_schedule=SCHEDULE).status_code == 302
    assert reload(routed).research_schedule == SCHEDULE


def test_a_far_implementation_date_alone_no_longer_needs_a_schedule(routed, clock, handler_a_client):
    """研究分析时间原则上不超过一个月: the month is the research's, not the implementation's — a plan a
    year away, evaluated within the month, needs no schedule."""
    clock(WITHIN)
    response = post_action(handler_a_client, routed, "evaluate", decision="adopted", opinion="可行",
                           planned_implementation_on="2027-02-01", measures="明年预算内实施")
    assert response.status_code == 302
    assert reload(routed).research_schedule == ""


def test_report_schedule_is_the_units_handlers_and_only_after_the_month(routed, clock, agent_client, manager_client,
                                                                      handler_a_client, handler_b_client, manager):
    """否则应报告具体日程安排: once the month is over, the unit's handler reports the schedule while still
    researching; nobody else may, and within the month it is neither offered nor taken."""
    page_url = f"/proposals/{routed.number}/"
    action_url = f"{page_url}report_schedule/"
    fields = {"planned_completion_on": "2026-03-20", "schedule": SCHEDULE}

    clock(WITHIN)
    assert action_url not in handler_a_client.get(page_url).content.decode()
    assert post_action(handler_a_client, routed, "report_schedule", **fields).status_code == 409

    clock(AFTER)
    assert action_url in handler_a_client.get(page_url).content.decode()
    for client in (agent_client, manager_client):
        assert action_url not in client.get(page_url).content.decode()
        assert post_action(client, routed, "report_schedule", **fields).status_code == 403
    assert post_action(handler_b_client, routed, "report_schedule", **fields).status_code == 404  # not its unit's
    assert reload(routed).research_schedule == ""

    assert post_action(handler_a_client, routed, "report_schedule", **fields).status_code == 302
    proposal = reload(routed)
    assert (proposal.state, proposal.research_schedule, proposal.research_completion_planned_on,
            proposal.research_schedule_at) == ("under_review", SCHEDULE, date(2026, 3, 20), AFTER)
    event = CaseEvent.objects.filter(case_id=proposal.pk, case_type__model="proposal").latest("pk")
    assert event.action == "report_schedule" and SCHEDULE in event.text and "2026" in event.text
    assert Notification.objects.filter(recipient=manager, case_number=proposal.number).exists()

    # The schedule reported, the late result needs none of its own.
    clock(AFTER + timedelta(days=10))
    assert evaluate(handler_a_client, proposal).status_code == 302
    proposal = reload(proposal)
    assert (proposal.state, proposal.research_schedule) == ("evaluated", SCHEDULE)
    # Evaluated: the research is over, so there is nothing to report any more.
    assert post_action(handler_a_client, proposal, "report_schedule", **fields).status_code == 409


@pytest.mark.parametrize("fields", [
    {"planned_completion_on": "2026-02-27", "schedule": SCHEDULE},  # before today (1 March)
    {"planned_completion_on": "9999-12-31", "schedule": SCHEDULE},
    {"planned_completion_on": "0001-01-01", "schedule": SCHEDULE},
    {"planned_completion_on": "next week", "schedule": SCHEDULE},
    {"planned_completion_on": "2026-03-20", "schedule": ""},
    {"planned_completion_on": "2026-03-20", "schedule": "x" * 2001},
])
def test_a_bad_schedule_is_a_field_error(routed, clock, handler_a_client, fields):
    """否则应报告具体日程安排: a concrete schedule — a date that can be met and its steps; anything else
    is a field error, not a 500, and nothing is written."""
    clock(datetime(2026, 3, 1, 9, 0, tzinfo=SHANGHAI))
    response = post_action(handler_a_client, routed, "report_schedule", **fields)
    assert response.status_code == 400
    after = reload(routed)
    assert (after.version, after.research_schedule) == (routed.version, "")


def test_the_page_shows_the_research_deadline_and_the_schedule(routed, clock, agent_client, handler_a_client):
    """研究分析时间原则上不超过一个月，否则应报告具体日程安排: the page gives the research's deadline,
    whether a schedule is due, and the schedule once reported."""
    page_url = f"/proposals/{routed.number}/"
    clock(WITHIN)
    page = agent_client.get(page_url).content.decode()
    assert "Research due" in page and "2026-02-28 10:00" in page
    assert "a research schedule is due" not in page

    clock(AFTER)
    page = agent_client.get(page_url).content.decode()
    assert "2026-02-28 10:00" in page and "over a month: a research schedule is due" in page

    post_action(handler_a_client, routed, "report_schedule", planned_completion_on="2026-03-20", schedule=SCHEDULE)
    page = agent_client.get(page_url).content.decode()
    assert "a research schedule is due" not in page
    assert "research schedule reported 2026-02-28" in page and "2026-03-20" in page and SCHEDULE in page
