"""Proposal pages speak of proposals (提案类别, not the complaint's 投诉类别), and the manager's
proposal page opens the action that moves the case on."""

import re

import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import ProposalFactory


def read(client, language, path) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def opened_actions(page: str) -> list[str]:
    return re.findall(r"<details open>\s*<summary>(.*?)</summary>", page)


@pytest.fixture
def acknowledged(db):
    return ProposalFactory(state="acknowledged")


@pytest.mark.parametrize("path", ["/proposals/", "/proposals/new/", "detail"])
def test_proposal_pages_name_the_proposal_category(manager_client, acknowledged, path):
    path = f"/proposals/{acknowledged.number}/" if path == "detail" else path
    with translation.override("zh-hans"):
        chinese = translation.gettext("Proposal category")
    zh = read(manager_client, "zh-hans", path)
    assert "投诉类别" not in zh and chinese in zh
    assert "Proposal category" in read(manager_client, "en", path)


def test_the_managers_acknowledged_proposal_opens_route_not_the_suggestion(manager_client, acknowledged):
    page = read(manager_client, "en", f"/proposals/{acknowledged.number}/")
    assert "Suggest a unit" in page  # still offered, folded
    assert opened_actions(page) == ["Route to a unit"]


def test_the_agent_who_may_only_suggest_gets_the_suggestion_open(agent_client, acknowledged):
    page = read(agent_client, "en", f"/proposals/{acknowledged.number}/")
    assert opened_actions(page) == ["Suggest a unit"]


def test_a_form_with_errors_stays_the_open_one(manager_client, acknowledged):
    manager_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = manager_client.post(f"/proposals/{acknowledged.number}/archive/",
                                   {"archive-version": acknowledged.version, "archive-reason": ""})
    assert response.status_code == 400
    assert opened_actions(response.content.decode()) == ["Archive"]
