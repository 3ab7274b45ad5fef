"""Registration rules: numbers, severity, the major flag, complainant class, repeats."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casework.models import CaseEvent, Customer
from complaints import services
from complaints.choices import severity_for_loss
from complaints.models import Complaint

from ..factories import ComplaintFactory, CustomerFactory


def register(actor, customer=None, **overrides):
    fields = dict(channel="hotline", received_at=timezone.now(), category="service_process",
                  subject="服务流程繁琐", description="办理退货需往返三次")
    fields.update(overrides)
    return services.complaint_register(actor=actor, customer=customer or CustomerFactory(), **fields)


def test_numbers_count_up_within_the_month(agent):
    period = timezone.localtime().strftime("%Y%m")
    assert [register(agent).number for _ in range(3)] == [f"TS{period}-{i:06d}" for i in (1, 2, 3)]


def test_a_failed_intake_gives_its_number_back(agent):
    with pytest.raises(ValidationError):
        register(agent, category="no-such-category")
    assert register(agent).number.endswith("-000001")
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize(
    "loss, severity",
    [
        (None, ""), ("999.99", ""), ("1000", "minor"), ("9999.99", "minor"), ("10000", "small"),
        ("50000", "general"), ("100000", "large"), ("499999.99", "large"), ("500000", "major"),
        ("1000000", "extraordinary"), ("25000000", "extraordinary"),
    ],
)
def test_severity_follows_the_direct_loss_bands(loss, severity):
    assert severity_for_loss(None if loss is None else Decimal(loss)) == severity


def test_general_loss_or_worse_is_major_and_reported_to_the_manager(agent):
    small = register(agent, estimated_loss=Decimal("49999"))
    general = register(agent, estimated_loss=Decimal("50000"))
    assert not small.is_major
    assert general.is_major and general.severity == "general"
    escalations = CaseEvent.objects.filter(kind="escalation", case_id=general.pk)
    assert escalations.count() == 1
    assert not CaseEvent.objects.filter(kind="escalation", case_id=small.pk).exists()


def test_complainant_class_defaults_to_a_for_key_customers_and_regulators(agent):
    assert register(agent, customer=CustomerFactory(tier="key")).complainant_class == "A"
    assert register(agent, channel="regulator").complainant_class == "A"
    assert register(agent).complainant_class == "C"
    assert register(agent, complainant_class="B").complainant_class == "B"


def test_handler_cannot_register(handler_a):
    with pytest.raises(PermissionDenied):
        register(handler_a)
    assert not Complaint.objects.exists()


def test_intake_form_reuses_the_customer_known_by_phone(agent_client):
    Customer.objects.create(name="张伟", phone="13812345678", organisation="华东物流")
    data = {"customer_name": "张伟", "customer_phone": "138 1234 5678", "customer_tier": "ordinary",
            "kind": "complaint", "channel": "wechat", "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "category": "price", "priority": "high", "subject": "收费不透明", "description": "保养收费未提前告知"}
    assert agent_client.post("/complaints/new/", data).status_code == 302
    assert Customer.objects.count() == 1
    assert Complaint.objects.get().customer.name == "张伟"
    # Another name on the same phone asks who is calling (tests/casework/test_registering.py).


class TestRepeatComplaints:
    def dispatch(self, complaint, agent, unit):
        return services.complaint_dispatch(complaint=complaint, actor=agent, unit=unit)

    def test_same_customer_unit_and_category_within_90_days_is_linked(self, agent, unit_a):
        customer = CustomerFactory()
        earlier = ComplaintFactory(customer=customer, responsible_unit=unit_a, state="closed",
                                   received_at=timezone.now() - timedelta(days=89))
        later = ComplaintFactory(customer=customer, state="contacted")
        later = self.dispatch(later, agent, unit_a)
        assert later.repeat_of == earlier
        assert "Repeat complaint" in CaseEvent.objects.get(case_id=later.pk, action="dispatch").text

    @pytest.mark.parametrize("change", ["older", "other_unit", "other_category", "other_customer"])
    def test_anything_else_is_not_a_repeat(self, agent, unit_a, unit_b, change):
        customer = CustomerFactory()
        earlier = dict(customer=customer, responsible_unit=unit_a, state="closed", category="price",
                       received_at=timezone.now() - timedelta(days=30))
        if change == "older":
            earlier["received_at"] = timezone.now() - timedelta(days=91)
        if change == "other_unit":
            earlier["responsible_unit"] = unit_b
        if change == "other_category":
            earlier["category"] = "contract"
        if change == "other_customer":
            earlier["customer"] = CustomerFactory()
        ComplaintFactory(**earlier)
        later = self.dispatch(ComplaintFactory(customer=customer, category="price", state="contacted"), agent, unit_a)
        assert later.repeat_of is None


def test_a_suspended_unit_cannot_take_cases(agent, unit_a):
    unit_a.status = "suspended"
    unit_a.save()
    complaint = ComplaintFactory(state="contacted")
    with pytest.raises(ValidationError):
        services.complaint_dispatch(complaint=complaint, actor=agent, unit=unit_a)
    assert Complaint.objects.get(pk=complaint.pk).state == "contacted"
