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


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_registering_for_a_known_phone_number_keeps_what_the_agent_typed(person, live_server, agent, language):
    """Issue 13: the phone shows the known customer and their open case; the agent says the caller
    is a new contact person of that customer, and the case keeps the name typed."""
    from casework.models import Customer

    from ..factories import ComplaintFactory

    wang = Customer.objects.create(name="王小明", phone="13812345678", organisation="华东物流")
    open_case = ComplaintFactory(customer=wang, subject="车辆异响未解决")
    desk = person("agent")
    desk.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    desk.goto(f"{live_server.url}/complaints/new/")
    assert desk.locator("#caller-choice").is_hidden()
    desk.fill("#id_customer_phone", "138 1234 5678")
    panel = desk.locator("#known-customer .known-customer")
    panel.wait_for()
    assert "王小明" in panel.inner_text() and open_case.number in panel.inner_text()
    assert desk.input_value("#id_customer_name") == "王小明"  # an empty field takes the record's
    desk.fill("#id_customer_name", "李娜")
    desk.locator("#caller-choice").wait_for(state="visible")
    desk.check("input[name=caller_is][value=contact]")
    desk.select_option("#id_category", "service_process")
    desk.fill("#id_subject", "维修等待时间过长")
    # A paste longer than the field is kept whole, and the counter says by how much it is over.
    desk.fill("#id_target", "长" * 205)
    assert desk.input_value("#id_target") == "长" * 205
    assert "5" in desk.locator("#id_target-count").inner_text()
    assert "over" in desk.locator("#id_target-count").get_attribute("class")
    desk.fill("#id_target", "徐汇门店")
    desk.fill("#id_description", "客户在门店等待四小时仍未完成保养。")
    assert "4983" in desk.locator("#id_description-count").inner_text()
    desk.click("form.intake button[type=submit]")
    desk.wait_for_selector(".contact-person")
    complaint = Complaint.objects.exclude(pk=open_case.pk).get()
    assert complaint.customer == wang and complaint.contact_person.name == "李娜"
    assert complaint.target == "徐汇门店"
    assert "李娜" in desk.locator(".contact-person").inner_text()
    assert Customer.objects.get().name == "王小明"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_correcting_the_customers_record_as_a_key_customer_gives_class_a(person, live_server, agent, language):
    from casework.models import Customer

    wang = Customer.objects.create(name="王小明", phone="13812345678")
    desk = person("agent")
    desk.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    desk.goto(f"{live_server.url}/complaints/new/")
    desk.fill("#id_customer_name", "王晓明")
    desk.fill("#id_customer_phone", "13812345678")
    desk.locator("#known-customer .known-customer").wait_for()
    desk.select_option("#id_customer_tier", "key")  # 重点客户
    desk.check("input[name=caller_is][value=correct]")
    desk.select_option("#id_category", "service_process")
    desk.fill("#id_subject", "维修等待时间过长")
    desk.fill("#id_description", "客户在门店等待四小时仍未完成保养。")
    desk.click("form.intake button[type=submit]")
    desk.wait_for_selector(".customer-link")
    wang.refresh_from_db()
    assert (wang.name, wang.tier) == ("王晓明", "key")
    assert Complaint.objects.get().complainant_class == "A"
    assert "王小明" in desk.locator(".timeline").inner_text()  # corrected from what to what
