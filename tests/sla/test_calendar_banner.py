"""The missing-calendar banner: in full, with where to load the calendar, to those who may load it
(the admin role); one short line to everyone else."""

import pytest

from sla import context_processors

LOAD_LINK = 'href="/admin/sla/calendarday/import/"'


@pytest.fixture(autouse=True)
def next_year_missing(monkeypatch):
    monkeypatch.setattr(context_processors, "calendar_missing_years", lambda: [2031])


@pytest.mark.parametrize("client_name", ["agent_client", "handler_a_client", "manager_client"])
def test_people_who_cannot_load_a_calendar_see_one_short_line(request, client_name):
    html = request.getfixturevalue(client_name).get("/notifications/").content.decode()
    assert "The holiday calendar for 2031 is not loaded yet: deadlines count Monday to Friday." in html
    assert LOAD_LINK not in html and "load_holidays" not in html


def test_an_administrator_sees_how_to_load_it_and_the_link_opens(admin_client_role):
    html = admin_client_role.get("/notifications/").content.decode()
    assert "The official holiday calendar for 2031 is not loaded" in html
    assert LOAD_LINK in html and "load_holidays" in html
    assert admin_client_role.get("/admin/sla/calendarday/import/").status_code == 200


def test_no_banner_once_the_calendar_is_loaded(monkeypatch, agent_client, admin_client_role):
    monkeypatch.setattr(context_processors, "calendar_missing_years", lambda: [])
    for client in (agent_client, admin_client_role):
        assert "holiday calendar" not in client.get("/notifications/").content.decode()
