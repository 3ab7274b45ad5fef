"""Bad input on every form gives field errors or a 4xx page, never a 500, never a partial
write; script tags come back escaped."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from casework.models import Attachment, CaseEvent, Customer
from complaints.models import Complaint

from ..factories import ComplaintFactory
from .helpers import post_action, reload

SCRIPT = "<script>alert(1)</script>"


def intake_data(**overrides):
    data = {"customer_name": "张伟", "customer_phone": "13812345678", "customer_tier": "ordinary",
            "kind": "complaint", "channel": "hotline", "category": "price", "priority": "normal",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "subject": "收费不透明", "description": "保养收费未提前告知"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("field, value", [
    ("subject", ""), ("subject", "x" * 201), ("description", "x" * 5001), ("customer_phone", "12345"),
    ("customer_phone", "abc"), ("customer_email", "not-an-email"), ("estimated_loss", "abc"),
    ("estimated_loss", "-5"), ("received_at", "yesterday"), ("received_at", "2099-01-01T10:00"),
    ("received_at", "0001-01-01T00:00"), ("received_at", "1999-12-31T23:59"), ("received_at", "9999-12-31T23:59"),
    ("channel", "pigeon"), ("category", "nonsense"), ("priority", "whenever"), ("kind", "rumour"),
    ("customer_name", ""), ("complainant_class", "Z"),
])
def test_intake_field_errors(agent_client, field, value):
    response = agent_client.post("/complaints/new/", intake_data(**{field: value}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Complaint.objects.exists() and not Customer.objects.exists()


def test_intake_with_everything_empty(agent_client):
    response = agent_client.post("/complaints/new/", {})
    assert response.status_code == 400
    assert {"customer_name", "customer_phone", "subject", "description", "category"} <= set(
        response.context["form"].errors)
    assert not Complaint.objects.exists()


def test_script_tags_are_shown_escaped(agent_client):
    agent_client.post("/complaints/new/", intake_data(subject=SCRIPT, description=SCRIPT, customer_name=SCRIPT))
    complaint = Complaint.objects.get()
    for page in (agent_client.get(f"/complaints/{complaint.number}/"), agent_client.get("/complaints/"),
                 agent_client.get("/customers/")):
        html = page.content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert SCRIPT not in html


# action → (state it needs, fields of a bad submission)
BAD_ACTIONS = [
    ("contact", "registered", {"note": ""}),
    ("contact", "registered", {"note": "x" * 2001}),
    ("dispatch", "contacted", {"unit": "999999"}),
    ("dispatch", "contacted", {"unit": "abc"}),
    ("propose_invalid", "contacted", {"reason": ""}),
    ("reject", "pending_approval", {"note": ""}),
    ("approve", "pending_approval", {"note": "x" * 2001}),
    ("customer_agrees", "approved", {"note": "x" * 2001}),
    ("customer_disagrees", "approved", {"note": ""}),
    ("record_callback", "resolved", {"outcome": "ecstatic"}),
    ("record_callback", "resolved", {"outcome": ""}),
    ("reply_progress", "assigned", {"note": ""}),
    ("report_major", "assigned", {"report": "x" * 5001}),
    ("force_close", "assigned", {"reason": ""}),
]


@pytest.mark.parametrize("action, state, fields", BAD_ACTIONS)
def test_desk_action_with_bad_fields_is_400_and_changes_nothing(manager_client, unit_a, action, state, fields):
    complaint = ComplaintFactory(state=state, responsible_unit=unit_a, is_major=True)
    before = (complaint.state, complaint.version)
    response = post_action(manager_client, complaint, action, **fields)
    assert response.status_code == 400
    after = reload(complaint)
    assert (after.state, after.version) == before
    assert not CaseEvent.objects.filter(case_id=complaint.pk).exists()


@pytest.mark.parametrize("action, state, fields", [
    ("propose", "assigned", {"root_cause": "", "solution": "s", "resolution_type": "repair"}),
    ("propose", "assigned", {"root_cause": "r", "solution": "s", "resolution_type": "magic"}),
    ("propose", "assigned", {"root_cause": "r", "solution": "s", "resolution_type": "repair",
                             "resolution_amount": "abc"}),
    ("implement", "in_progress", {"report": ""}),
])
def test_unit_action_with_bad_fields_is_400(handler_a_client, unit_a, action, state, fields):
    complaint = ComplaintFactory(state=state, responsible_unit=unit_a)
    assert post_action(handler_a_client, complaint, action, **fields).status_code == 400
    assert reload(complaint).state == state


@pytest.mark.parametrize("version", ["", "abc", "-1"])
def test_missing_or_broken_version(manager_client, version):
    complaint = ComplaintFactory(state="registered")
    response = manager_client.post(f"/complaints/{complaint.number}/force_close/",
                                   {"force_close-version": version, "force_close-reason": "重复"})
    assert response.status_code == 400
    assert reload(complaint).state == "registered"


def test_unknown_action_and_wrong_method(manager_client):
    complaint = ComplaintFactory()
    assert manager_client.post(f"/complaints/{complaint.number}/fly_away/", {}).status_code == 404
    # A GET of an action's address (a reloaded form with errors) goes back to the case page.
    reopened = manager_client.get(f"/complaints/{complaint.number}/contact/")
    assert (reopened.status_code, reopened.url) == (302, f"/complaints/{complaint.number}/")
    assert manager_client.put(f"/complaints/{complaint.number}/contact/").status_code == 405
    assert manager_client.get("/complaints/TS000000-000000/").status_code == 404


def test_details_edit_with_bad_values(agent_client):
    complaint = ComplaintFactory(subject="原主题")
    url = f"/complaints/{complaint.number}/edit/"
    base = {"category": "price", "priority": "normal", "complainant_class": "C", "subject": "新主题",
            "description": "d", "version": complaint.version}
    for bad in ({"estimated_loss": "abc"}, {"subject": ""}, {"category": "bogus"}, {"version": "abc"}):
        response = agent_client.post(url, {**base, **bad})
        assert response.status_code == 400, bad
    assert reload(complaint).subject == "原主题"
    stale = agent_client.post(url, {**base, "version": complaint.version + 5}, follow=True)
    assert "changed by someone else" in stale.content.decode()
    assert reload(complaint).subject == "原主题"


def test_comment_and_upload_errors(agent_client, settings):
    complaint = ComplaintFactory()
    base = f"/complaints/{complaint.number}"
    assert agent_client.post(f"{base}/comment/", {"text": ""}).status_code == 400
    assert agent_client.post(f"{base}/comment/", {"text": "x" * 2001}).status_code == 400
    assert agent_client.post(f"{base}/attachments/", {}).status_code == 400
    exe = SimpleUploadedFile("setup.exe", b"MZ" + b"0" * 100)
    assert agent_client.post(f"{base}/attachments/", {"file": exe}).status_code == 400
    settings.ATTACHMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("photo.jpg", b"0" * 2048)
    response = agent_client.post(f"{base}/attachments/", {"file": big})
    assert response.status_code == 400 and "too large" in response.content.decode()
    assert not Attachment.objects.exists()
    assert not CaseEvent.objects.filter(case_id=complaint.pk).exists()


@pytest.mark.parametrize("query", ["state=bogus&unit=abc&page=xyz", "page=-1", "category=<script>", "page=99999",
                                   "q=" + "长" * 500])
def test_queue_with_junk_filters(agent_client, query):
    response = agent_client.get(f"/complaints/?{query}")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main>")[1]


def test_other_pages_with_junk(agent_client):
    assert agent_client.get("/customers/?q=" + "x" * 10000).status_code == 200
    assert agent_client.get("/notifications/?page=abc").status_code == 200
    assert agent_client.get("/customers/abc/").status_code == 404
