"""Customer and unit pages, access for people without a role, and the admin."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from casework.models import CaseEvent
from complaints import services

from ..factories import ComplaintFactory, CustomerFactory, ProposalFactory, UserFactory, clock_create


def test_anonymous_people_are_sent_to_the_login_page(client):
    response = client.get("/complaints/")
    assert response.status_code == 302 and response.url.startswith("/login/")
    assert client.get("/login/").status_code == 200


def test_a_user_without_a_role_sees_nothing(db):
    client = Client()
    client.force_login(UserFactory(username="nobody"))
    assert client.get("/complaints/").status_code == 403
    assert client.get("/customers/").status_code == 403


def test_demo_login_with_password(client, agent):
    response = client.post("/login/", {"username": "agent", "password": "pw"}, follow=True)
    assert response.redirect_chain[-1][0] == "/complaints/"


def test_an_administrator_lands_on_the_reports(client, admin_user):
    response = client.post("/login/", {"username": "admin", "password": "pw"}, follow=True)
    assert response.redirect_chain[-1][0] == "/reports/"
    assert 'href="/complaints/"' not in response.content.decode()


def test_customer_pages_are_the_desks(agent_client, handler_a_client):
    customer = CustomerFactory(name="孙丽", phone="13700001111")
    ComplaintFactory(customer=customer, subject="发票开错")
    ProposalFactory(customer=customer, subject="建议开具电子发票")
    listing = agent_client.get("/customers/?q=孙丽")
    assert "13700001111" in listing.content.decode()
    detail = agent_client.get(f"/customers/{customer.pk}/").content.decode()
    assert "发票开错" in detail and "建议开具电子发票" in detail
    assert handler_a_client.get("/customers/").status_code == 403
    assert handler_a_client.get(f"/customers/{customer.pk}/").status_code == 403


def test_handler_sees_only_its_own_unit_page(handler_a_client, agent_client, unit_a, unit_b):
    assert handler_a_client.get(f"/units/{unit_a.pk}/").status_code == 200
    assert handler_a_client.get(f"/units/{unit_b.pk}/").status_code == 404
    assert unit_b.name not in handler_a_client.get("/units/").content.decode()
    assert unit_b.name in agent_client.get("/units/").content.decode()


def test_timeline_entries_are_never_edited(agent):
    complaint = ComplaintFactory()
    event = services.complaint_comment(complaint=complaint, actor=agent, text="客户来电催办")
    event.note = "改写"
    with pytest.raises(ValidationError):
        event.save()
    assert CaseEvent.objects.get(pk=event.pk).note == "客户来电催办"


def test_comment_and_attachment_land_in_the_timeline(agent_client, agent):
    from django.core.files.uploadedfile import SimpleUploadedFile

    complaint = ComplaintFactory()
    agent_client.post(f"/complaints/{complaint.number}/comment/", {"text": "客户来电催办"})
    upload = SimpleUploadedFile("现场照片.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png")
    assert agent_client.post(f"/complaints/{complaint.number}/attachments/", {"file": upload}).status_code == 302
    kinds = list(CaseEvent.objects.filter(case_id=complaint.pk).values_list("kind", flat=True))
    assert kinds == ["comment", "attachment"]
    page = agent_client.get(f"/complaints/{complaint.number}/").content.decode()
    assert "现场照片.png" in page
    from casework.models import Attachment

    response = agent_client.get(f"/complaints/{complaint.number}/attachments/{Attachment.objects.get().pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "url",
    ["/admin/", "/admin/complaints/complaint/", "/admin/casework/customer/", "/admin/casework/responsibleunit/",
     "/admin/casework/caseevent/", "/admin/casework/attachment/", "/admin/satisfaction/callback/",
     "/admin/casework/customer/export/"],
)
def test_admin_role_uses_the_django_admin(admin_client_role, url):
    ComplaintFactory()
    assert admin_client_role.get(url).status_code == 200


def test_admin_complaint_change_page(admin_client_role):
    complaint = ComplaintFactory()
    assert admin_client_role.get(f"/admin/complaints/complaint/{complaint.pk}/change/").status_code == 200


def test_customer_page_shows_each_cases_next_deadline(agent_client):
    from datetime import timedelta

    from django.utils import timezone


    customer = CustomerFactory()
    proposal = ProposalFactory(customer=customer)
    now = timezone.now()
    clock_create(proposal, kind="proposal_feedback", started_at=now, due_at=now - timedelta(hours=2))
    page = agent_client.get(f"/customers/{customer.pk}/").content.decode()
    assert "sla-overdue" in page


def test_a_units_page_shows_its_open_cases_deadlines(handler_a_client, unit_a):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    case = ComplaintFactory(subject="单位待办", state="assigned", responsible_unit=unit_a)
    clock_create(case, kind="resolution", started_at=now - timedelta(days=2), warn_at=now - timedelta(hours=1),
                 due_at=now + timedelta(hours=3))
    page = handler_a_client.get(f"/units/{unit_a.pk}/").content.decode()
    assert "单位待办" in page and "sla-soon" in page
