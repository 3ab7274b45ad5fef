"""What every page does with input no view can use, and when what it needs is down (issue 8)."""

import pytest
from django.test import Client

from complaints.models import Complaint

from .factories import ComplaintFactory


@pytest.mark.parametrize("url", [
    "/complaints/TS%00/", "/customers/?q=%00", "/complaints/?q=a%00b", "/proposals/?state=%00",
    "/admin/complaints/complaint/?state__exact=%00", "/admin/casework/customer/?q=%00",
    "/%00", "/reports/monthly/?month=2026-10%00",
])
def test_nul_bytes_in_paths_and_queries_are_400(url, manager_client, admin_client_role):
    client = admin_client_role if url.startswith("/admin/") else manager_client
    assert client.get(url).status_code == 400


def test_nul_bytes_in_a_form_are_400_and_write_nothing(agent_client):
    response = agent_client.post("/complaints/new/", {"subject": "a\x00b", "customer_name": "张伟"})
    assert response.status_code == 400
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("quarter", ["9999-Q4", "0000-Q1", "1999-Q4", "3000-Q1"])
def test_quarters_outside_the_years_reports_cover_are_a_field_error(manager_client, quarter):
    response = manager_client.get("/reports/quarterly/", {"quarter": quarter})
    assert response.status_code == 400
    assert "quarter" in response.context["form"].errors


@pytest.mark.parametrize("params", [{"month": "9999-12"}, {"year": "9999"}, {"half": "0000-H1"}])
def test_other_periods_out_of_range_are_not_500(manager_client, params):
    url = {"month": "/reports/monthly/", "year": "/reports/annual/", "half": "/reports/proposals/"}[next(iter(params))]
    assert manager_client.get(url, params).status_code == 400


def test_a_csv_cell_over_the_csv_limit_is_a_field_error(manager_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = ("姓名,电话\n张伟," + "1" * 200_000 + "\n").encode()
    response = manager_client.post("/imports/", {"kind": "customers", "file": SimpleUploadedFile("c.csv", content)})
    assert response.status_code == 400
    assert "longer than" in " ".join(response.context["form"].errors["file"])


def test_a_database_that_is_down_gives_a_503_page_not_a_500(manager, database_down):
    client = Client(raise_request_exception=False)
    client.force_login(manager)
    ComplaintFactory()
    with database_down():
        response = client.get("/complaints/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Temporarily unavailable" in response.content.decode()
    assert "OperationalError" not in response.content.decode()


def test_other_errors_stay_500(manager, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(manager)
    monkeypatch.setattr("workflow.pages.render", lambda *a, **k: 1 / 0)  # the queue is a shared case page
    response = client.get("/complaints/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_pages_carry_a_content_security_policy_without_inline_script(agent_client):
    policy = agent_client.get("/complaints/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_an_idle_session_ends_and_an_active_one_is_renewed(agent, settings):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from config.middleware import SESSION_TOUCHED_KEY

    client = Client()
    client.force_login(agent)
    assert client.get("/complaints/").status_code == 200
    session = Session.objects.get()
    assert abs(session.expire_date - (timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE))) \
        < timedelta(minutes=1)

    # Active: a request after the renewal interval pushes the end of the session out again.
    stale = client.session
    stale[SESSION_TOUCHED_KEY] = 0
    stale.save()
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=5))
    assert client.get("/complaints/").status_code == 200
    assert Session.objects.get().expire_date > timezone.now() + timedelta(hours=1)

    # Idle past the timeout: the next request is sent to the login page.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/complaints/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
