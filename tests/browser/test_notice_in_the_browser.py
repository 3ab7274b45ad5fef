"""Being told, in Chromium: the desk dispatches a complaint, and the unit's handler sees it in the
bell, follows the notice to the case and finds the action it asks for — in Chinese and in English."""

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints import services

from ..factories import CustomerFactory
from .helpers import act

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language, notifications", [("zh-hans", "通知"), ("en", "Notifications")])
def test_a_handler_follows_the_dispatch_notice_from_the_bell(person, live_server, agent, handler_a, unit_a,
                                                              language, notifications):
    complaint = services.complaint_register(actor=agent, customer=CustomerFactory(), channel="hotline",
                                            category="service_process", subject="维修等待时间过长",
                                            description="客户在门店等待四小时。",
                                            received_at=timezone.now() - timedelta(hours=1))
    complaint = services.complaint_contact(complaint=complaint, actor=agent, note="已致电客户")

    desk = person("agent")
    desk.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    desk.goto(f"{live_server.url}/complaints/{complaint.number}/")
    act(desk, "dispatch", unit=str(unit_a.pk), note="请核实")

    unit = person("handler_a")
    unit.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    unit.reload()
    assert unit.locator(".bell .bell-count").inner_text() == "1"
    unit.click(".bell")
    unit.wait_for_selector(f"h1:has-text('{notifications}')")
    notice = unit.locator(".notifications li.unread button", has_text=complaint.number)
    assert complaint.number in notice.inner_text()
    notice.click()
    unit.wait_for_url(f"{live_server.url}/complaints/{complaint.number}/")

    # The case the notice is about, with the step it asks for offered to the handler.
    assert complaint.number in unit.locator(".page-head h1").inner_text()
    assert unit.locator("form[action$='/propose/']").count() == 1
    assert unit.locator(".bell .bell-count").count() == 0  # the notice is read
