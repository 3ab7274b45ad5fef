"""Opening a notification marks it read only by POST: a GET changes nothing (issue 8)."""

from django.contrib.contenttypes.models import ContentType

from casework.models import Notification

from ..factories import ComplaintFactory


def notification_for(user):
    complaint = ComplaintFactory()
    note = Notification.objects.create(
        recipient=user, source=f"test:{complaint.pk}", case_type=ContentType.objects.get_for_model(complaint),
        case_id=complaint.pk, case_number=complaint.number, message=f"{complaint.number}: deadline missed",
    )
    return note, f"/complaints/{complaint.number}/"


def test_a_get_opens_the_case_without_marking_it_read(agent_client, agent):
    note, case_page = notification_for(agent)
    response = agent_client.get(f"/notifications/{note.pk}/")
    assert response.status_code == 302 and response.url == case_page
    note.refresh_from_db()
    assert note.read_at is None


def test_the_post_button_opens_the_case_and_marks_it_read(agent_client, agent):
    note, case_page = notification_for(agent)
    response = agent_client.post(f"/notifications/{note.pk}/")
    assert response.status_code == 302 and response.url == case_page
    note.refresh_from_db()
    assert note.read_at is not None


def test_the_list_offers_a_post_form_per_notification(agent_client, agent):
    note, _ = notification_for(agent)
    page = agent_client.get("/notifications/").content.decode()
    assert f'<form method="post" action="/notifications/{note.pk}/">' in page
    assert 'class="as-link"' in page and f'href="/notifications/{note.pk}/"' not in page


def test_the_post_needs_the_csrf_token(agent):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    note, _ = notification_for(agent)
    assert client.post(f"/notifications/{note.pk}/").status_code == 403
    note.refresh_from_db()
    assert note.read_at is None
