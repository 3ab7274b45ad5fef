"""A customer's proposal from the desk to the customer being told it was adopted, clicked
through in Chromium by the agent, the manager and the unit's handler."""

from datetime import timedelta

import pytest
from django.utils import timezone

from proposals.models import Proposal

from .helpers import act

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_proposal_from_intake_to_adoption(person, live_server, agent, handler_a, manager, unit_a):
    desk = person("agent")
    desk.click("nav >> text=Proposals")
    desk.click("text=New proposal")
    desk.fill("#id_customer_name", "李娜")
    desk.fill("#id_customer_phone", "13900001111")
    desk.select_option("#id_category", "process_efficiency")
    desk.fill("#id_subject", "质检流程可合并两道工序")
    desk.fill("#id_content", "出厂检验与入库检验重复，建议合并。")
    desk.click("button:has-text('Register')")
    desk.wait_for_selector("text=registered.")
    proposal = Proposal.objects.get()
    act(desk, "acknowledge", note="已致谢，预计10个工作日内答复")
    assert desk.locator(".page-head .badge").inner_text() == "Acknowledged"
    act(desk, "suggest_unit", unit=str(unit_a.pk))
    proposal.refresh_from_db()
    assert (proposal.state, proposal.suggested_unit_id) == ("acknowledged", unit_a.pk)

    boss = person("manager")
    boss.goto(f"{live_server.url}/proposals/{proposal.number}/")
    act(boss, "route")  # the form starts from the agent's suggestion
    assert boss.locator(".page-head .badge").inner_text() == "Under review"

    unit = person("handler_a")
    unit.goto(f"{live_server.url}/proposals/")
    unit.click(f"text={proposal.number}")
    planned = (timezone.localdate() + timedelta(days=20)).isoformat()
    act(unit, "evaluate", decision="adopted", opinion="可行", planned_implementation_on=planned, measures="合并工序")
    assert unit.locator(".page-head .badge").inner_text() == "Evaluated · Adopted"

    desk.reload()
    act(desk, "feedback", handling_satisfaction="very_satisfied", note="已告知客户采纳")
    assert desk.locator(".page-head .badge").inner_text() == "Adopted · Adopted"
    proposal.refresh_from_db()
    assert (proposal.state, proposal.responsible_unit_id) == ("adopted", unit_a.pk)
