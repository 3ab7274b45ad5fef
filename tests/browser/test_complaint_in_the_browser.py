"""A complaint from the hotline to its closing callback, clicked through in Chromium by the
people who do it: agent, handler of the unit, manager."""

import pytest

from complaints.models import Complaint

from .helpers import act

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_complaint_from_intake_to_closing_callback(person, live_server, agent, handler_a, manager, unit_a):
    desk = person("agent")
    desk.click("text=New complaint")
    desk.fill("#id_customer_name", "张伟")
    desk.fill("#id_customer_phone", "13812345678")
    desk.select_option("#id_category", "service_process")
    desk.fill("#id_subject", "维修等待时间过长")
    desk.fill("#id_description", "客户在门店等待四小时仍未完成保养。")
    desk.click("button:has-text('Register')")
    desk.wait_for_selector("text=registered.")
    number = Complaint.objects.get().number
    assert number in desk.title() or number in desk.content()

    act(desk, "contact", note="已致电客户")
    act(desk, "dispatch", unit=str(unit_a.pk), note="请核实")
    assert "Assigned" in desk.locator(".page-head .badge").inner_text()

    unit = person("handler_a")
    unit.click(f"text={number}")
    act(unit, "propose", root_cause="排班不足", solution="增加周末技师", resolution_type="goodwill")

    boss = person("manager")
    boss.click("text=Approvals")
    boss.click(f"text={number}")
    act(boss, "approve", note="同意")

    desk.reload()
    act(desk, "customer_agrees", note="客户接受")
    unit.reload()
    act(unit, "implement", report="已赠送保养券")
    desk.reload()
    act(desk, "record_callback", outcome="satisfied", note="客户满意")

    assert "Closed · Satisfied" in desk.locator(".page-head .badge").inner_text()
    assert Complaint.objects.get().closure_type == "satisfied"
    timeline = desk.locator(".timeline").inner_text()
    assert "已赠送保养券" in timeline and "客户满意" in timeline


def test_a_stale_page_gets_a_clear_conflict_message(person, live_server, agent, manager):
    from ..factories import ComplaintFactory

    complaint = ComplaintFactory(state="registered")
    boss = person("manager")
    boss.goto(f"{live_server.url}/complaints/{complaint.number}/")
    desk = person("agent")
    desk.goto(f"{live_server.url}/complaints/{complaint.number}/")
    act(desk, "contact", note="已联系")
    act(boss, "force_close", reason="重复登记")
    assert "changed by someone else" in boss.content()
    assert Complaint.objects.get().state == "contacted"


def test_the_language_switch(person, live_server, agent):
    desk = person("agent")
    desk.click("button[name=language][value=zh-hans]")
    desk.wait_for_selector("text=新建投诉")
    desk.click("button[name=language][value=en]")
    desk.wait_for_selector("text=New complaint")
