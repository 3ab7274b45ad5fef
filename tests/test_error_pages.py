"""403, 404, 405, CSRF failure and 500 are the app's own pages, in the visitor's language, with the
header and a way back; the customer's public pages get the portal's look instead of the staff header.
DEBUG is off in each test, as in production (with DEBUG on Django shows its technical pages)."""

import pytest
from django.conf import settings as django_settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from casework.case_kinds import case_content_type
from casework.models import Notification
from config.errors import server_error
from tests.factories import ComplaintFactory

LANGUAGES = ("zh-hans", "en")


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def in_language(client, language):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    return client


def words(language, msgid) -> str:
    with translation.override(language):
        return translation.gettext(msgid)


def assert_staff_page(response, status, language, heading):
    page = response.content.decode()
    assert response.status_code == status
    assert f'lang="{language}"' in page
    assert words(language, heading) in page
    assert 'class="topbar"' in page and words(language, "Closeloop") in page  # the header
    assert f'href="{reverse("home")}"' in page and words(language, "Back to the start page") in page
    assert "portal.css" not in page


def assert_portal_page(response, status, language, heading):
    page = response.content.decode()
    assert response.status_code == status
    assert f'lang="{language}"' in page and words(language, heading) in page
    assert "portal.css" in page and 'class="mainnav"' not in page  # no staff header
    assert f'href="{reverse("portal:start")}"' in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unknown_address_is_the_apps_404(agent_client, language):
    response = in_language(agent_client, language).get("/complaints/TS000000-999999/")
    assert_staff_page(response, 404, language, "Page not found")
    assert 'class="mainnav"' in response.content.decode()  # logged in: the whole header


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_admin_following_a_notification_reads_the_case_and_a_refused_page_is_the_apps_403(
        admin_client_role, admin_user, handler_a_client, language):
    complaint = ComplaintFactory()
    note = Notification.objects.create(recipient=admin_user, source="test", case_type=case_content_type(complaint),
                                       case_id=complaint.pk, case_number=complaint.number, message="…")
    response = in_language(admin_client_role, language).get(f"/notifications/{note.pk}/", follow=True)
    assert response.redirect_chain[-1][0] == f"/complaints/{complaint.number}/"
    assert response.status_code == 200  # admins read any case (issue 13), without its action forms
    # A page the role may not open (the managers' approvals for a handler): the app's 403, not Django's.
    refused = in_language(handler_a_client, language).get("/complaints/approvals/")
    assert_staff_page(refused, 403, language, "Not allowed")
    assert "403 Forbidden" not in refused.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_post_only_address_opened_directly_is_the_apps_405(agent_client, language):
    response = in_language(agent_client, language).get("/notifications/read-all/")
    assert_staff_page(response, 405, language, "This address only takes a form")
    assert response["Allow"] == "POST"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_form_is_the_apps_csrf_page(agent, language):
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    response = in_language(client, language).post("/notifications/read-all/")
    assert_staff_page(response, 403, language, "The form could not be accepted")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_server_error_is_the_apps_500_drawn_without_the_database(manager, monkeypatch, language,
                                                                    django_assert_max_num_queries):
    client = Client(raise_request_exception=False)
    client.force_login(manager)
    monkeypatch.setattr("workflow.pages.render", lambda *a, **k: 1 / 0)
    request = RequestFactory().get("/complaints/")
    with translation.override(language), django_assert_max_num_queries(0):
        direct = server_error(request)
    assert direct.status_code == 500 and words(language, "Something went wrong") in direct.content.decode()
    response = in_language(client, language).get("/complaints/")
    page = response.content.decode()
    assert response.status_code == 500 and f'lang="{language}"' in page
    assert words(language, "Something went wrong") in page and 'class="topbar"' in page
    assert words(language, "Back to the start page") in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_portals_visitors_get_portal_pages(client, language):
    assert_portal_page(in_language(client, language).get("/portal/no-such-page/"), 404, language, "Page not found")
    assert_portal_page(in_language(client, language).get("/s/thanks/nope/"), 404, language, "Page not found")
    response = in_language(client, language).put("/portal/track/")
    assert_portal_page(response, 405, language, "This address only takes a form")
    refused = Client(enforce_csrf_checks=True)
    response = in_language(refused, language).post("/portal/track/", {"number": "TS1", "phone": "13800138000"})
    assert_portal_page(response, 403, language, "The form could not be accepted")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_portal_server_error_keeps_the_portal_look(client, monkeypatch, language):
    monkeypatch.setattr("portal.views.render", lambda *a, **k: 1 / 0)
    response = in_language(Client(raise_request_exception=False), language).get("/portal/")
    page = response.content.decode()
    assert response.status_code == 500 and "portal.css" in page and f'lang="{language}"' in page
    assert words(language, "Back to the customer portal") in page


@pytest.mark.parametrize("action", ["dispatch", "comment", "attachments"])
def test_a_case_address_left_by_a_form_error_reopens_the_case_page(agent_client, action):
    complaint = ComplaintFactory(state="contacted")
    post = agent_client.post(f"/complaints/{complaint.number}/{action}/", {})
    assert post.status_code == 400  # the form with its errors, drawn at the POST's address
    reopened = agent_client.get(f"/complaints/{complaint.number}/{action}/")
    assert reopened.status_code == 302 and reopened.url == f"/complaints/{complaint.number}/"


def test_a_case_address_of_a_case_one_may_not_see_reopens_to_a_404(handler_b_client, unit_a):
    complaint = ComplaintFactory(state="assigned", responsible_unit=unit_a)
    response = handler_b_client.get(f"/complaints/{complaint.number}/propose/", follow=True)
    assert response.status_code == 404
