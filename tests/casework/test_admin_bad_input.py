"""Hand-made admin URLs and forged admin forms get Django's bad-filter page (?e=1) or a 400,
never a 500, and change nothing."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User

from casework.admin_site import SafeAdminMixin
from casework.models import Customer, Notification

from ..factories import ComplaintFactory, CustomerFactory


def test_every_admin_page_is_hardened_even_djangos_own():
    assert admin.site._registry, "no models registered"
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, SafeAdminMixin), model
    assert isinstance(admin.site._registry[User], SafeAdminMixin)
    assert isinstance(admin.site._registry[Group], SafeAdminMixin)


@pytest.mark.parametrize("query", [
    "received_at__year=99999999999999999999",
    "received_at__year=9999&received_at__month=12",
    "received_at__year=9999",
    "received_at__year=2026&received_at__month=13",
])
def test_date_hierarchy_out_of_range_is_a_bad_filter(admin_client_role, query):
    ComplaintFactory()
    response = admin_client_role.get(f"/admin/complaints/complaint/?{query}")
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


def test_date_hierarchy_in_year_one(admin_client_role):
    # Midnight of 1 January, year 1, in Beijing is year 0 in UTC: PostgreSQL holds it (an empty
    # list), Python's conversion for SQLite cannot (the bad-filter page). Neither is a 500.
    response = admin_client_role.get("/admin/complaints/complaint/?received_at__year=1")
    assert response.status_code == 200 or response["Location"].endswith("?e=1")


@pytest.mark.parametrize("bound", ["0001-01-01", "9999-12-31 23:59", "\x00", "yesterday"])
def test_hand_typed_date_filter_bounds(admin_client_role, admin_user, bound):
    Notification.objects.create(recipient=admin_user, source="t", message="hi")
    for name in ("read_at__gte", "emailed_at__lt"):
        response = admin_client_role.get("/admin/casework/notification/", {name: bound})
        if bound.startswith("9999"):  # a far but valid bound just filters
            assert response.status_code == 200
        elif "\x00" in bound:  # refused before the admin sees it (config.middleware.RejectNulBytesMiddleware)
            assert response.status_code == 400
        else:
            assert response.status_code == 302 and response["Location"].endswith("?e=1")


def test_the_date_filters_own_links_still_filter(admin_client_role, admin_user):
    Notification.objects.create(recipient=admin_user, source="t", message="unread")
    page = admin_client_role.get("/admin/casework/notification/")
    today = next(spec for spec in page.context["cl"].filter_specs if spec.field_path == "read_at")
    links = [choice["query_string"] for choice in today.choices(page.context["cl"])]
    assert len(links) > 2
    for link in links:
        assert admin_client_role.get(f"/admin/casework/notification/{link}").status_code == 200
    # "No date" keeps the unread one; "Today" (a since/until pair) finds nothing read.
    assert admin_client_role.get("/admin/casework/notification/?read_at__isnull=True").context["cl"].result_count == 1


def test_a_100k_search_is_cut_not_a_database_error(admin_client_role):
    CustomerFactory(name="张伟")
    response = admin_client_role.get("/admin/casework/customer/", {"q": "张" * 100_000})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0
    assert admin_client_role.get("/admin/casework/customer/", {"q": "张伟"}).context["cl"].result_count == 1


@pytest.mark.parametrize("selected", ["\x00", "abc", "1.5"])
def test_a_forged_action_selection_is_400_and_deletes_nothing(admin_client_role, selected):
    customer = CustomerFactory()
    response = admin_client_role.post("/admin/casework/customer/", {
        "action": "delete_selected", "index": "0", "_selected_action": [str(customer.pk), selected]})
    assert response.status_code == 400
    assert Customer.objects.filter(pk=customer.pk).exists()


@pytest.mark.parametrize("url", ["/admin/complaints/complaint/export/", "/admin/casework/customer/export/",
                                 "/admin/sla/calendarday/export/"])
def test_an_export_with_an_unknown_parameter_is_400(admin_client_role, url):
    assert admin_client_role.get(url, {"next": "/admin/"}).status_code == 400
    assert admin_client_role.get(url).status_code == 200


def test_an_edge_of_time_typed_into_an_admin_form_is_a_field_error(admin_client_role):
    """Found by tests/fuzz: midnight-ish of 1 January, year 1, in Beijing cannot be converted to UTC."""
    customer = CustomerFactory(name="张伟")
    response = admin_client_role.post(f"/admin/casework/customer/{customer.pk}/change/", {
        "name": "改名", "organisation": "", "phone": customer.phone, "email": "", "tier": customer.tier,
        "created_at_0": "0001-01-01", "created_at_1": "00:37:38"})
    assert response.status_code == 200
    assert "created_at" in response.context["adminform"].form.errors
    customer.refresh_from_db()
    assert customer.name == "张伟"
