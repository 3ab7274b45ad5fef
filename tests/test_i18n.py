"""Pages in Simplified Chinese (the default) and in English, and the header's switch."""

import pytest
from django.conf import settings

from .factories import ComplaintFactory, ProposalFactory

PAGES = {
    "/complaints/": ("投诉", "Complaints"),
    "/complaints/new/": ("登记投诉", "Register a complaint"),
    "/complaints/approvals/": ("待审批", "Approval queue"),
    "/notifications/": ("暂无通知", "No notifications"),
    "/reports/": ("月度闭环率", "Monthly closure rate"),
    "/proposals/": ("新建提案", "New proposal"),
    "/proposals/new/": ("登记提案", "Register a proposal"),
    "/reports/proposals/": ("采纳（转化）率", "Adoption (conversion) rate"),
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


def test_proposal_page_names_states_and_actions_in_chinese(manager_client):
    proposal = ProposalFactory(state="acknowledged")
    page = in_language(manager_client, "zh-hans").get(f"/proposals/{proposal.number}/").content.decode()
    assert "已致谢" in page and "转办责任单位" in page and "归档" in page and "延期至15个工作日" in page
    page = in_language(manager_client, "en").get(f"/proposals/{proposal.number}/").content.decode()
    assert "Acknowledged" in page and "Route to a unit" in page and "Extend to 15 working days" in page
