"""Issue 13 (and the portal's tracking, issue 12): phone numbers are normalised, not refused. The
desk, the portal, the imports and the admin all store one written form, so a caller is found
again however the number was typed."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from casework.models import Customer
from casework.phones import phone_normalise, phone_validator
from casework.services import customer_find_or_create
from complaints.models import Complaint

from ..complaints.test_bad_input import intake_data

WRITTEN = {
    "+86 138 0000 1111": "13800001111",
    "139 1234 5678": "13912345678",
    "１３８００００１１１１": "13800001111",  # full-width digits from a Chinese input method
    "＋８６ １３９-１２３４-５６７８": "13912345678",
    "0086-138-0000-1111": "13800001111",
    "8613800001111": "13800001111",
    "(010) 1234 5678": "010-12345678",
    "+86 10 1234 5678": "010-12345678",
    "021 6488 1234": "021-64881234",
    "057187654321": "0571-87654321",
    "0571-8765432": "0571-8765432",
    "010-12345678转123": "010-12345678-123",
    "010 12345678 ext. 9": "010-12345678-9",
    "400 123 4567": "400-123-4567",
}


@pytest.mark.parametrize(("typed", "written"), WRITTEN.items())
def test_every_usual_way_of_typing_a_number_gives_its_one_written_form(typed, written):
    assert phone_normalise(typed) == written
    phone_validator(written)


@pytest.mark.parametrize("typed", ["12345", "abc", "138000011112", "+1 415 555 0100", "010-123"])
def test_what_is_no_mainland_number_is_still_refused(typed):
    with pytest.raises(ValidationError):
        phone_validator(phone_normalise(typed))


full_width = str.maketrans("0123456789+", "０１２３４５６７８９＋")
separators = st.sampled_from(["", " ", "-", "  ", "．", "　"])


@given(rest=st.from_regex(r"\A1[3-9][0-9]{9}\Z", fullmatch=True),
       prefix=st.sampled_from(["", "+86", "+86 ", "0086", "86", "+86-"]),
       sep=separators, wide=st.booleans())
def test_a_mobile_number_typed_in_any_of_the_usual_ways_is_the_same_number(rest, prefix, sep, wide):
    typed = prefix + sep.join([rest[:3], rest[3:7], rest[7:]])
    if wide:
        typed = typed.translate(full_width)
    assert phone_normalise(typed) == rest


@settings(max_examples=500)
@given(st.one_of(st.text(max_size=40), st.text(alphabet="0123456789+-() ./转x#０１８６　", max_size=24)))
def test_normalising_is_stable_and_never_fails(text):
    once = phone_normalise(text)
    assert phone_normalise(once) == once


@pytest.mark.django_db
def test_the_desk_finds_the_known_caller_however_the_number_is_typed():
    known = customer_find_or_create(name="王小明", phone="13800001111")
    for typed in ("+86 138 0000 1111", "１３８００００１１１１", "138-0000-1111"):
        assert customer_find_or_create(name="王小明", phone=typed) == known
    assert Customer.objects.count() == 1


@pytest.mark.django_db
def test_the_admin_and_every_full_clean_store_the_written_form():
    customer = Customer(name="孙丽", phone="+86 21 6488 1234")
    customer.full_clean()
    customer.save()
    customer.refresh_from_db()
    assert customer.phone == "021-64881234"


@pytest.mark.django_db
def test_an_agent_registering_with_a_typed_international_number_finds_the_known_customer(agent_client):
    known = customer_find_or_create(name="张伟", phone="13812345678")
    response = agent_client.post("/complaints/new/", intake_data(customer_phone="+86 138 1234 5678"))
    assert response.status_code == 302
    assert Complaint.objects.get().customer == known
