"""Pages in Simplified Chinese (the default) and in English, and the header's switch."""

import pytest
from django.conf import settings

from .factories import ComplaintFactory

PAGES = {
    "/complaints/": ("投诉", "Complaints"),
    "/complaints/new/": ("登记投诉", "Register a complaint"),
    "/complaints/approvals/": ("待审批", "Approval queue"),
    "/notifications/": ("暂无通知", "No notifications"),
    "/reports/": ("月度闭环率", "Monthly closure rate"),
}


@pytest.fixture
def complaint(unit_a):
    return ComplaintFactory(state="pending_approval", responsible_unit=unit_a)


def in_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize("path", PAGES)
def test_pages_in_both_languages(manager_client, path):
    chinese, english = PAGES[path]
    zh = in_language(manager_client, "zh-hans").get(path)
    assert zh.status_code == 200 and chinese in zh.content.decode()
    assert 'lang="zh-hans"' in zh.content.decode()
    en = in_language(manager_client, "en").get(path)
    assert en.status_code == 200 and english in en.content.decode()


def test_complaint_page_names_states_and_actions_in_chinese(manager_client, complaint):
    page = in_language(manager_client, "zh-hans").get(f"/complaints/{complaint.number}/").content.decode()
    assert "待审批" in page and "批准" in page and "强制闭环" in page and "处理记录" in page
    page = in_language(manager_client, "en").get(f"/complaints/{complaint.number}/").content.decode()
    assert "Pending approval" in page and "Force close" in page and "Timeline" in page


def test_login_page_defaults_to_chinese(client, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    page = client.get("/login/").content.decode()
    assert "登录" in page and "English" in page  # the switch names each language in itself


def test_the_language_switch_in_the_header(manager_client):
    response = manager_client.post("/i18n/setlang/", {"language": "en", "next": "/complaints/"})
    assert response.status_code == 302 and response.url == "/complaints/"
    assert "New complaint" in manager_client.get("/complaints/").content.decode()
    manager_client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/complaints/"})
    assert "新建投诉" in manager_client.get("/complaints/").content.decode()
