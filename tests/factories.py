"""Factories for the shared records and complaints. Complaints made here skip the
services (and the timeline): use them to set the scene, and the services or the
test client for the behaviour under test."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from casework.models import Customer, ResponsibleUnit
from complaints.choices import Category, Channel, State
from complaints.models import Complaint


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("name", locale="zh_CN")
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            # get_or_create: transactional tests flush the groups the migration made.
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])
        if create:
            self.save()


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResponsibleUnit

    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.Sequence(lambda n: f"责任单位{n}")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Faker("name", locale="zh_CN")
    phone = factory.Sequence(lambda n: f"139{n:08d}")


class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complaint

    number = factory.Sequence(lambda n: f"TS209901-{n:06d}")
    customer = factory.SubFactory(CustomerFactory)
    channel = Channel.HOTLINE
    received_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    category = Category.SERVICE_PROCESS
    subject = "门店服务态度差"
    description = "客户反映门店接待人员态度恶劣。"
    first_responder = factory.SubFactory(UserFactory, role="agent")
    state = State.REGISTERED
    responsible_unit = None
    # As dispatch sets it: a complaint counts against the unit it was first dispatched to.
    counted_unit = factory.SelfAttribute("responsible_unit")


def overdue_milestones(count: int, *, now, kind="resolution", unit=None, owner=None):
    """`count` complaints, each with one milestone past its deadline (not yet one working day over)."""
    from datetime import timedelta

    from django.contrib.contenttypes.models import ContentType

    from sla.models import Milestone
    from sla.next_deadline import cases_next_due_refresh

    owner = owner or UserFactory(role="agent")
    customer = CustomerFactory()
    complaints = Complaint.objects.bulk_create(
        ComplaintFactory.build(customer=customer, first_responder=owner, responsible_unit=unit,
                               state=State.ASSIGNED)
        for _ in range(count)
    )
    content_type = ContentType.objects.get_for_model(Complaint)
    clocks = Milestone.objects.bulk_create(
        Milestone(case_type=content_type, case_id=c.pk, case_number=c.number, kind=kind, owner=owner, unit=unit,
                  started_at=now - timedelta(days=3), warn_at=now - timedelta(hours=10),
                  due_at=now - timedelta(minutes=5), overdue_at=now + timedelta(days=1))
        for c in complaints
    )
    cases_next_due_refresh(case_type=content_type, case_ids=[c.pk for c in complaints])
    return clocks


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "proposals.Proposal"

    number = factory.Sequence(lambda n: f"TA209901-{n:06d}")
    customer = factory.SubFactory(CustomerFactory)
    channel = "written"
    received_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    category = "after_sales"
    subject = "建议延长售后服务时间"
    content = "建议周末也开放售后接待。"
    first_responder = factory.SubFactory(UserFactory, role="agent")


def next_deadlines_disagreeing() -> dict:
    """{(model, case id): (stored columns, what the running clocks say)} where they differ: the
    nearest due time, and the earliest warning (a clock without one: its due time)."""
    from django.contrib.contenttypes.models import ContentType

    from proposals.models import Proposal
    from sla.models import OPEN, Milestone

    differing = {}
    for model in (Complaint, Proposal):
        expected: dict = {}
        for case_id, due, warn in (Milestone.objects.filter(OPEN, case_type=ContentType.objects.get_for_model(model))
                                   .values_list("case_id", "due_at", "warn_at")):
            was_due, was_soon = expected.get(case_id, (due, due))
            expected[case_id] = (min(due, was_due), min(warn or due, due, was_soon))
        stored = {pk: columns for pk, *columns in model.objects.values_list("pk", "next_due_at", "due_soon_at")}
        for pk, columns in stored.items():
            if tuple(columns) != expected.get(pk, (None, None)):
                differing[(model.__name__, pk)] = (tuple(columns), expected.get(pk, (None, None)))
    return differing


def clock_create(case, **fields):
    """A clock a test writes directly (its own deadline), the case's nearest deadline kept with it
    as sla.services keeps it."""
    from django.contrib.contenttypes.models import ContentType

    from sla.models import Milestone
    from sla.next_deadline import cases_next_due_refresh

    case_type = ContentType.objects.get_for_model(case)
    fields.setdefault("case_number", case.number)
    clock = Milestone.objects.create(case_type=case_type, case_id=case.pk, **fields)
    cases_next_due_refresh(case_type=case_type, case_ids=[case.pk])
    return clock
