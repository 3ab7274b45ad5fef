"""The customer's portal /portal/ (seed 000 line 15: "客户提出意见的渠道…如客服热线、网站、邮件"; line 240:
"公司网站…多种渠道收集客户提案意见"; seed 001 line 707: 网络抱怨, a customer's complaint made online).
A customer submits a complaint or a proposal without logging in; it enters the desk's normal
queues as channel "Website form" with its SLA clocks running; bad input and floods write nothing."""

import re
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.models import Attachment, CaseEvent, Customer
from complaints.models import Complaint
from complaints.selectors import complaint_list
from proposals.models import Proposal
from proposals.selectors import proposal_list
from sla.models import Milestone, MilestoneKind

pytestmark = pytest.mark.django_db

# The CAPTCHA in the tests' mode: "passed" is the right answer (conftest.py).
HUMAN = {"captcha_0": "test", "captcha_1": "passed"}
COMPLAINT = {"name": "张伟", "phone": "13800138000", "email": "", "category": "product_quality",
             "subject": "新车异响", "description": "提车一周，底盘有异响，4S店说正常。", **HUMAN}
PROPOSAL = {"name": "李娜", "phone": "13900139000", "email": "lina@example.com", "category": "after_sales",
            "subject": "延长周末服务时间", "content": "建议服务站周末营业到晚上八点。", **HUMAN}


def png_bytes() -> bytes:
    """A real 1×1 PNG."""
    def chunk(kind, data):
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    header = (1).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
            + chunk(b"IEND", b""))


def photo(name="photo.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def nothing_written():
    assert not Complaint.objects.exists() and not Proposal.objects.exists()
    assert not Customer.objects.exists() and not Attachment.objects.exists()
    assert not CaseEvent.objects.exists() and not Milestone.objects.exists()


def test_the_start_page_offers_both_without_a_login(client):
    page = client.get(reverse("portal:start"), HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert page.status_code == 200
    assert reverse("portal:complaint") in page.content.decode()
    assert reverse("portal:proposal") in page.content.decode()


def test_a_complaint_enters_the_queue_as_a_website_form_with_its_clocks(client, agent, settings):
    page = client.post(reverse("portal:complaint"), {**COMPLAINT, "files": [photo()]}, follow=True,
                       HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert page.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.channel == "web_form" and complaint.subject == "新车异响"
    assert complaint.customer.phone == "13800138000" and complaint.customer.name == "张伟"
    assert complaint.first_responder.username == settings.PORTAL_USER
    assert not complaint.first_responder.has_usable_password()
    assert complaint in complaint_list(user=agent, open_only=True)
    clocks = Milestone.objects.filter(case_id=complaint.pk, case_number=complaint.number)
    resolution = clocks.get(kind=MilestoneKind.RESOLUTION)
    assert resolution.status == Milestone.Status.PENDING and resolution.met_at is None
    assert Attachment.objects.get(case_id=complaint.pk).original_name == "photo.png"
    html = page.content.decode()
    assert complaint.number in html and "谢谢" in html  # "Thank you"
    assert resolution.due_at.astimezone().strftime("%Y-%m-%d") in html


def test_a_proposal_enters_the_queue_with_its_feedback_clock(client, agent):
    page = client.post(reverse("portal:proposal"), PROPOSAL, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    proposal = Proposal.objects.get()
    assert proposal.channel == "web_form" and proposal.customer.email == "lina@example.com"
    assert proposal in proposal_list(user=agent, open_only=True)
    feedback = Milestone.objects.get(case_id=proposal.pk, case_number=proposal.number)
    assert feedback.kind == MilestoneKind.PROPOSAL_FEEDBACK and feedback.met_at is None
    html = page.content.decode()
    assert "Thank you" in html and proposal.number in html
    assert feedback.due_at.astimezone().strftime("%Y-%m-%d") in html


def test_a_known_phone_is_the_same_customer(client):
    client.post(reverse("portal:complaint"), COMPLAINT)
    client.post(reverse("portal:proposal"), {**PROPOSAL, "phone": COMPLAINT["phone"]})
    assert Customer.objects.count() == 1
    assert Complaint.objects.get().customer == Proposal.objects.get().customer


@pytest.mark.parametrize("change, field", [
    ({"phone": ""}, "phone"),
    ({"description": "长" * 100_000}, "description"),
    ({"files": [SimpleUploadedFile("virus.png", b"MZ\x90\x00 not a picture")]}, "files"),
    ({"files": [photo("1.png"), photo("2.png"), photo("3.png"), photo("4.png")]}, "files"),
])
def test_bad_input_gets_a_message_at_its_field_and_writes_nothing(client, change, field):
    page = client.post(reverse("portal:complaint"), {**COMPLAINT, **change}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400
    html = page.content.decode()
    assert f'id="{field}-errors"' in html
    assert re.search(rf'<(input|textarea)[^>]*aria-describedby="{field}-errors[^"]*"[^>]*>', html)
    nothing_written()


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def test_a_flood_from_one_address_gets_429_after_the_limit_and_no_partial_case(client, settings):
    settings.PORTAL_RATE_PER_ADDRESS = "5/10m"
    settings.PORTAL_RATE_PER_PHONE = "100/h"
    statuses = [client.post(reverse("portal:complaint"), {**COMPLAINT, "phone": f"1380013{n:04d}"}).status_code
                for n in range(500)]
    assert statuses == [302] * 5 + [429] * 495
    assert Complaint.objects.count() == 5 and Customer.objects.count() == 5
    assert Milestone.objects.filter(kind=MilestoneKind.RESOLUTION).count() == 5
    page = client.post(reverse("portal:complaint"), COMPLAINT, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 429 and "Too many submissions" in page.content.decode()


def test_one_phone_number_is_limited_too(client, settings):
    settings.PORTAL_RATE_PER_ADDRESS = "100/10m"
    settings.PORTAL_RATE_PER_PHONE = "3/h"
    # The same phone typed five ways is one phone, and one limit.
    typed = [PROPOSAL["phone"], "+86 " + PROPOSAL["phone"], PROPOSAL["phone"].translate(FULL_WIDTH),
             "0086-" + PROPOSAL["phone"], PROPOSAL["phone"][:3] + " " + PROPOSAL["phone"][3:]]
    statuses = [client.post(reverse("portal:proposal"), {**PROPOSAL, "phone": phone},
                            REMOTE_ADDR=f"10.0.0.{n}").status_code for n, phone in enumerate(typed)]
    assert statuses == [302] * 3 + [429] * 2
    assert Proposal.objects.count() == 3
    assert Customer.objects.get().phone == PROPOSAL["phone"]


def test_the_honeypot_filled_writes_nothing(client):
    page = client.post(reverse("portal:complaint"), {**COMPLAINT, "homepage": "http://spam.example"})
    assert page.status_code == 400
    nothing_written()


def test_the_form_needs_csrf(db):
    from django.test import Client
    page = Client(enforce_csrf_checks=True).post(reverse("portal:complaint"), COMPLAINT)
    assert page.status_code == 403
    nothing_written()


@pytest.mark.parametrize("language, texts", [
    # New texts wait for the lead's translation; "Subject" has one already.
    ("zh-CN", ["<html lang=\"zh-hans\"", "主题"]),
    ("en", ["<html lang=\"en\"", "Make a complaint", "Your name"]),
])
def test_the_form_speaks_chinese_by_default_and_english_on_request(client, language, texts):
    html = client.get(reverse("portal:complaint"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for text in texts:
        assert text in html
    # Every field the customer sees has its label.
    for field_id in re.findall(r'<(?:input|select|textarea)[^>]*id="(id_[a-z]+)"', html):
        assert f'for="{field_id}"' in html


def test_a_forged_thank_you_link_is_not_found(client):
    assert client.get(reverse("portal:thanks", kwargs={"token": "forged"})).status_code == 404


def test_the_desk_hears_of_a_web_complaint_nobody_registered(client, agent, manager, unit_a,
                                                             django_capture_on_commit_callbacks):
    """The portal's own account logs in nowhere: the warnings and notices a case's owner would get
    go to the desk's agents instead, so a web complaint's 24-hour contact is not told to no one."""
    from datetime import timedelta

    from django.utils import timezone

    from casework.models import Notification
    from sla.sweep import sla_sweep

    client.post(reverse("portal:complaint"), COMPLAINT)
    complaint = Complaint.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        sla_sweep(now=timezone.now() + timedelta(hours=25))  # the first contact is overdue
    told = set(Notification.objects.filter(case_id=complaint.pk).values_list("recipient__username", flat=True))
    assert "agent" in told and complaint.first_responder.username not in told


def test_a_wrong_captcha_answer_is_a_field_error_and_nothing_is_written(client):
    """Abuse handling that works offline: the letters are drawn by the server; a script that cannot
    read them is refused at the field, and nothing is registered."""
    page = client.get(reverse("portal:complaint"))
    assert 'name="captcha_1"' in page.content.decode() and "/captcha/image/" in page.content.decode()
    response = client.post(reverse("portal:complaint"), {**COMPLAINT, "captcha_1": "ABCD"})
    assert response.status_code == 400 and "captcha" in response.context["form"].errors
    nothing_written()


def test_a_known_phone_with_another_name_keeps_the_typed_name_on_the_case(client, agent_client):
    """The portal cannot ask who is calling (the desk's intake does): the case goes to the known
    customer, and the name the customer typed is on its timeline for the desk, in the reader's language."""
    known = Customer.objects.create(name="王小明", phone=COMPLAINT["phone"])
    assert client.post(reverse("portal:complaint"), {**COMPLAINT, "name": "李娜"}).status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.customer == known and Customer.objects.count() == 1
    page = agent_client.get(f"/complaints/{complaint.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Name given on the website" in page
    assert "the customer gave the name “李娜”; the record of this phone number says “王小明”" in page
    # The same name as the record: nothing to settle, no line.
    client.post(reverse("portal:complaint"), {**COMPLAINT, "name": "王小明"}, REMOTE_ADDR="10.9.9.9")
    assert CaseEvent.objects.filter(action="portal_name").count() == 1
