"""Registering a case for a caller the hotline already knows by phone (issue 13): nothing the agent
typed is dropped without a word. A known number whose record differs asks who is calling — the same
person, a new contact person of that customer, or a correction of the customer's record — and the
chosen tier drives a complaint's class. The lookup that shows the known customer as the phone is
typed is the desk's only. A time received long ago asks for confirmation."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from casework.models import CaseEvent, ContactPerson, Customer, CustomerCorrection
from complaints.models import Complaint
from proposals.models import Proposal

from ..factories import ComplaintFactory, ProposalFactory

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


def now_field(delta=timedelta()):
    return timezone.localtime(timezone.now() - delta).strftime("%Y-%m-%dT%H:%M")


def complaint_form(**overrides):
    data = {"customer_name": "李娜", "customer_phone": PHONE, "customer_tier": "ordinary", "kind": "complaint",
            "channel": "hotline", "received_at": now_field(), "category": "price", "priority": "normal",
            "subject": "收费不透明", "description": "保养收费未提前告知"}
    data.update(overrides)
    return data


def proposal_form(**overrides):
    data = {"customer_name": "李娜", "customer_phone": PHONE, "customer_tier": "ordinary", "channel": "written",
            "received_at": now_field(), "category": "after_sales", "priority": "normal",
            "subject": "延长周末服务时间", "content": "建议服务站周末营业到晚上八点。"}
    data.update(overrides)
    return data


@pytest.fixture
def wang():
    """王小明, an ordinary customer the hotline knows by PHONE."""
    return Customer.objects.create(name="王小明", phone=PHONE, organisation="华东物流", tier="ordinary")


def nothing_written(customer):
    fresh = Customer.objects.get(pk=customer.pk)
    assert (fresh.name, fresh.tier, fresh.organisation) == (customer.name, customer.tier, customer.organisation)
    assert not Complaint.objects.exists() and not Proposal.objects.exists()
    assert not ContactPerson.objects.exists() and not CustomerCorrection.objects.exists()
    assert Customer.objects.count() == 1


class TestANewPhoneNumber:
    def test_is_a_new_customer_with_what_was_typed_and_a_key_customer_is_class_a(self, agent_client):
        response = agent_client.post("/complaints/new/", complaint_form(customer_tier="key",
                                                                        customer_organisation="上海汽车"))
        assert response.status_code == 302
        complaint = Complaint.objects.get()
        assert (complaint.customer.name, complaint.customer.tier, complaint.customer.organisation) == (
            "李娜", "key", "上海汽车")
        assert complaint.complainant_class == "A"
        assert complaint.contact_person is None


class TestAKnownPhoneNumber:
    def test_typed_as_recorded_registers_for_the_customer_without_a_question(self, agent_client, wang):
        response = agent_client.post("/complaints/new/", complaint_form(customer_name="王小明"))
        assert response.status_code == 302
        assert Complaint.objects.get().customer == wang
        assert Customer.objects.count() == 1

    def test_a_different_name_without_a_choice_is_refused_with_both_names_and_the_customer_shown(
            self, agent_client, wang):
        open_case = ComplaintFactory(customer=wang, subject="车辆异响未解决")
        response = agent_client.post("/complaints/new/", complaint_form(customer_tier="key"))
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert "caller_is" in errors
        assert "王小明" in errors["customer_name"][0] and "李娜" in errors["customer_name"][0]
        assert "customer_tier" in errors  # 重点客户 typed, the record says ordinary: not dropped either
        page = response.content.decode()
        # Without JavaScript the server shows the known customer, their open case and the choice.
        assert open_case.number in page and 'id="caller-choice"' in page and 'id="caller-choice" hidden' not in page
        # What was typed is still in the form.
        assert 'value="李娜"' in page
        assert Complaint.objects.filter(customer=wang).count() == 1  # only the open case from before
        assert not ContactPerson.objects.exists() and Customer.objects.get().name == "王小明"

    def test_same_person_with_differences_says_what_would_not_be_stored(self, agent_client, wang):
        response = agent_client.post("/complaints/new/", complaint_form(caller_is="same"))
        assert response.status_code == 400
        message = response.context["form"].errors["customer_name"][0]
        assert "王小明" in message and "李娜" in message
        nothing_written(wang)

    def test_same_person_typed_as_recorded_registers_for_the_customer(self, agent_client, wang):
        response = agent_client.post("/complaints/new/", complaint_form(customer_name="王小明", caller_is="same"))
        assert response.status_code == 302
        assert Complaint.objects.get().customer == wang and Complaint.objects.get().contact_person is None

    def test_a_new_contact_person_keeps_the_record_and_the_case_says_who_called(self, agent_client, wang):
        response = agent_client.post("/complaints/new/", complaint_form(caller_is="contact",
                                                                        customer_email="lina@example.com"))
        assert response.status_code == 302
        complaint = Complaint.objects.get()
        assert complaint.customer == wang
        assert (complaint.contact_person.name, complaint.contact_person.email,
                complaint.contact_person.phone) == ("李娜", "lina@example.com", PHONE)
        wang.refresh_from_db()
        assert (wang.name, wang.email) == ("王小明", "")  # the e-mail typed is the contact person's
        page = agent_client.get(f"/complaints/{complaint.number}/").content.decode()
        assert "李娜" in page and f'href="/customers/{wang.pk}/"' in page
        assert "李娜" in agent_client.get(f"/customers/{wang.pk}/").content.decode()

    def test_the_contact_person_calling_again_needs_no_question(self, agent_client, wang):
        agent_client.post("/complaints/new/", complaint_form(caller_is="contact"))
        response = agent_client.post("/complaints/new/", complaint_form(subject="再次投诉"))
        assert response.status_code == 302
        again = Complaint.objects.get(subject="再次投诉")
        assert again.customer == wang and again.contact_person.name == "李娜"
        assert ContactPerson.objects.count() == 1

    def test_a_known_contact_person_with_a_new_address_is_the_same_person(self, agent_client, wang):
        agent_client.post("/complaints/new/", complaint_form(caller_is="contact"))
        response = agent_client.post("/complaints/new/", complaint_form(
            subject="再次投诉", caller_is="contact", customer_email="lina@example.com"))
        assert response.status_code == 302
        assert ContactPerson.objects.count() == 1
        assert ContactPerson.objects.get().email == "lina@example.com"
        assert Complaint.objects.get(subject="再次投诉").contact_person == ContactPerson.objects.get()

    def test_correcting_the_organisation_keeps_who_called(self, agent_client, wang):
        """The contact person 李娜 calls, and the company's name has changed: the record is
        corrected, and the case still says that 李娜 called."""
        agent_client.post("/complaints/new/", complaint_form(caller_is="contact"))
        response = agent_client.post("/complaints/new/", complaint_form(
            subject="公司更名后", caller_is="correct", customer_organisation="华东物流集团"))
        assert response.status_code == 302
        wang.refresh_from_db()
        assert (wang.name, wang.organisation) == ("王小明", "华东物流集团")
        assert Complaint.objects.get(subject="公司更名后").contact_person.name == "李娜"

    def test_a_contact_person_cannot_carry_another_tier(self, agent_client, wang):
        response = agent_client.post("/complaints/new/", complaint_form(caller_is="contact", customer_tier="key"))
        assert response.status_code == 400
        assert "customer_tier" in response.context["form"].errors
        nothing_written(wang)

    def test_a_correction_updates_the_record_with_its_history_and_the_tier_gives_class_a(
            self, agent, agent_client, wang):
        response = agent_client.post("/complaints/new/", complaint_form(caller_is="correct", customer_tier="key"))
        assert response.status_code == 302
        complaint = Complaint.objects.get()
        wang.refresh_from_db()
        assert (wang.name, wang.tier, wang.organisation) == ("李娜", "key", "华东物流")
        assert complaint.customer == wang and complaint.contact_person is None
        assert complaint.complainant_class == "A"
        history = {(c.field, c.old_value, c.new_value, c.case_number, c.actor)
                   for c in CustomerCorrection.objects.all()}
        assert history == {("name", "王小明", "李娜", complaint.number, agent),
                           ("tier", "ordinary", "key", complaint.number, agent)}
        event = CaseEvent.objects.get(case_id=complaint.pk, action="correct_customer")
        assert event.note == ""  # the system's words are stored in no language, shown in the reader's
        with translation.override("en"):
            assert "“王小明” → “李娜”" in event.text and "“Ordinary customer” → “Key customer”" in event.text
        with translation.override("zh-hans"):
            assert "“普通客户” → “重点客户”" in event.text
        assert "王小明" in agent_client.get(f"/complaints/{complaint.number}/").content.decode()  # the timeline
        customer_page = agent_client.get(f"/customers/{wang.pk}/").content.decode()
        assert "王小明" in customer_page and complaint.number in customer_page

    def test_what_the_record_lacks_is_filled_in_and_kept_in_its_history(self, agent_client, wang):
        response = agent_client.post("/complaints/new/", complaint_form(customer_name="王小明",
                                                                        customer_email="wang@example.com"))
        assert response.status_code == 302
        wang.refresh_from_db()
        assert wang.email == "wang@example.com"
        assert CustomerCorrection.objects.get().new_value == "wang@example.com"

    def test_the_phone_is_matched_in_its_written_form(self, agent_client, wang):
        response = agent_client.post("/complaints/new/", complaint_form(customer_phone="+86 138-1234-5678"))
        assert response.status_code == 400
        assert "caller_is" in response.context["form"].errors

    def test_a_refused_case_leaves_no_correction_behind(self, agent_client, wang):
        response = agent_client.post("/complaints/new/", complaint_form(caller_is="correct", subject=""))
        assert response.status_code == 400
        nothing_written(wang)

    def test_proposals_ask_the_same(self, agent_client, wang):
        assert agent_client.post("/proposals/new/", proposal_form()).status_code == 400
        response = agent_client.post("/proposals/new/", proposal_form(caller_is="contact"))
        assert response.status_code == 302
        proposal = Proposal.objects.get()
        assert proposal.customer == wang and proposal.contact_person.name == "李娜"
        assert "李娜" in agent_client.get(f"/proposals/{proposal.number}/").content.decode()

    def test_a_bad_choice_is_a_field_error(self, agent_client, wang):
        response = agent_client.post("/complaints/new/", complaint_form(caller_is="nobody"))
        assert response.status_code == 400
        assert "caller_is" in response.context["form"].errors
        nothing_written(wang)


class TestTheLookup:
    def lookup(self, client, phone=PHONE, **params):
        return client.get("/customers/lookup/", {"phone": phone, **params})

    def test_shows_the_customer_with_open_and_recent_cases(self, agent_client, wang):
        open_complaint = ComplaintFactory(customer=wang, subject="车辆异响未解决")
        open_proposal = ProposalFactory(customer=wang)
        closed = ComplaintFactory(customer=wang, state="closed", subject="已解决")
        ComplaintFactory(subject="别人的投诉")
        data = self.lookup(agent_client, phone="+86 138 1234 5678").json()
        assert data["found"] is True
        assert data["customer"] == {"name": "王小明", "organisation": "华东物流", "email": "", "tier": "ordinary"}
        html = data["html"]
        assert open_complaint.number in html and open_proposal.number in html and closed.number in html
        assert html.index(open_complaint.number) < html.index(closed.number)  # open first, then recent
        assert "别人的投诉" not in html

    def test_says_when_a_new_complaint_would_be_a_repeat(self, agent_client, wang, unit_a):
        earlier = ComplaintFactory(customer=wang, responsible_unit=unit_a, category="price", state="closed",
                                   received_at=timezone.now() - timedelta(days=30))
        ComplaintFactory(customer=wang, responsible_unit=unit_a, category="price", state="closed",
                         subject="太早", received_at=timezone.now() - timedelta(days=91))
        html = self.lookup(agent_client, category="price").json()["html"]
        assert "repeat-hint" in html and earlier.number in html and unit_a.name in html
        assert "repeat-hint" not in self.lookup(agent_client, category="contract").json()["html"]
        assert "repeat-hint" in self.lookup(agent_client, category="no-such-category").json()["html"]

    @pytest.mark.parametrize("phone", ["13900000000", "not a phone", "", "1" * 5000])
    def test_an_unknown_or_bad_number_finds_nobody(self, agent_client, wang, phone):
        response = self.lookup(agent_client, phone=phone)
        assert response.status_code == 200 and response.json() == {"found": False}

    def test_the_manager_may_look_up(self, manager_client, wang):
        assert self.lookup(manager_client).json()["found"] is True

    @pytest.mark.parametrize("who", ["handler_a_client", "admin_client_role"])
    def test_other_roles_are_refused(self, request, who, wang):
        assert self.lookup(request.getfixturevalue(who)).status_code == 403

    def test_anonymous_is_sent_to_log_in(self, client, wang):
        response = self.lookup(client)
        assert response.status_code == 302 and "/login/" in response["Location"]
        assert "王小明" not in response.content.decode()

    def test_is_limited_per_person(self, agent_client, wang, settings):
        settings.CUSTOMER_LOOKUP_RATE = "2/m"
        assert [self.lookup(agent_client).status_code for _ in range(3)] == [200, 200, 429]

    def test_is_not_cached(self, agent_client, wang):
        assert "no-store" in self.lookup(agent_client)["Cache-Control"]

    def test_the_intake_pages_call_it(self, agent_client):
        for page in ("/complaints/new/", "/proposals/new/"):
            html = agent_client.get(page).content.decode()
            assert 'data-customer-lookup="/customers/lookup/"' in html and "js/intake.js" in html


class TestTheCasePageLinksTheCustomer:
    def test_the_desk_gets_the_link_a_handler_does_not(self, agent_client, handler_a_client, unit_a):
        complaint = ComplaintFactory(responsible_unit=unit_a, state="assigned")
        link = f'href="/customers/{complaint.customer.pk}/"'
        assert link in agent_client.get(f"/complaints/{complaint.number}/").content.decode()
        assert link not in handler_a_client.get(f"/complaints/{complaint.number}/").content.decode()
        assert handler_a_client.get(f"/customers/{complaint.customer.pk}/").status_code == 403


class TestAnOldReceipt:
    def test_asks_for_confirmation_then_registers(self, agent_client, settings):
        settings.INTAKE_CONFIRM_RECEIVED_OLDER_THAN_DAYS = 7
        old = now_field(timedelta(days=8))
        response = agent_client.post("/complaints/new/", complaint_form(received_at=old))
        assert response.status_code == 400
        assert "more than 7 days ago" in response.context["form"].errors["received_at"][0]
        assert 'name="confirm_old_receipt"' in response.content.decode()
        assert not Complaint.objects.exists()
        response = agent_client.post("/complaints/new/", complaint_form(received_at=old, confirm_old_receipt="on"))
        assert response.status_code == 302
        assert timezone.localtime(Complaint.objects.get().received_at).strftime("%Y-%m-%dT%H:%M") == old

    def test_a_recent_receipt_asks_nothing(self, agent_client, settings):
        settings.INTAKE_CONFIRM_RECEIVED_OLDER_THAN_DAYS = 7
        assert 'name="confirm_old_receipt"' not in agent_client.get("/complaints/new/").content.decode()
        assert agent_client.post("/complaints/new/", complaint_form(received_at=now_field(timedelta(days=6)))
                                 ).status_code == 302

    def test_the_number_of_days_is_a_setting(self, agent_client, settings):
        settings.INTAKE_CONFIRM_RECEIVED_OLDER_THAN_DAYS = 2
        response = agent_client.post("/proposals/new/", proposal_form(received_at=now_field(timedelta(days=3))))
        assert response.status_code == 400 and not Proposal.objects.exists()

    def test_confirmation_does_not_lift_the_hard_bounds(self, agent_client):
        response = agent_client.post("/complaints/new/", complaint_form(received_at="1999-12-31T10:00",
                                                                        confirm_old_receipt="on"))
        assert response.status_code == 400 and not Complaint.objects.exists()


class TestLongTexts:
    def test_the_pages_load_the_counter(self, agent_client, client):
        assert "js/char_count.js" in agent_client.get("/complaints/new/").content.decode()
        assert "js/char_count.js" in client.get("/portal/complaint/").content.decode()

    def test_an_over_long_text_is_a_field_error_and_nothing_is_written(self, agent_client):
        response = agent_client.post("/complaints/new/", complaint_form(description="长" * 5001))
        assert response.status_code == 400
        assert "description" in response.context["form"].errors
        assert not Complaint.objects.exists() and not Customer.objects.exists()


def test_a_known_contact_persons_email_stays_theirs(agent_client, wang):
    agent_client.post("/complaints/new/", complaint_form(caller_is="contact", customer_email="lina@example.com"))
    again = complaint_form(subject="再次投诉", customer_email="lina@example.com")
    response = agent_client.post("/complaints/new/", again)
    assert response.status_code == 302
    assert Customer.objects.get().email == ""
    assert Complaint.objects.get(subject="再次投诉").contact_person.email == "lina@example.com"
