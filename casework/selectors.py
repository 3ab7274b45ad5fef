"""Reading the shared records: the customer a phone number belongs to, what the desk is shown of
them at intake, and how what an agent typed differs from their record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from .case_kinds import intake_hints
from .models import ContactPerson, Customer, CustomerCorrection
from .phones import phone_normalise, phone_validator

# What the intake panel lists of a known customer: enough to recognise them, bounded however
# many cases they have.
OPEN_CASES_SHOWN = 10
RECENT_CASES_SHOWN = 5


def customer_by_phone(*, phone: str) -> Customer | None:
    """The customer the hotline knows by this phone number (in its written form), or None. The
    oldest record wins when a number was stored twice, as it always has."""
    phone = phone_normalise(phone)
    try:
        phone_validator(phone)
    except ValidationError:  # not a phone number: nobody has it
        return None
    return Customer.objects.filter(phone=phone).order_by("pk").first()


def _plain(text: str) -> str:
    return " ".join((text or "").split())


@dataclass(frozen=True)
class Difference:
    """A customer field the agent typed otherwise than the record has it."""

    field: str  # name, organisation, email or tier
    recorded: str
    typed: str

    @property
    def label(self) -> str:
        return str(CustomerCorrection.FIELDS[self.field])

    def shown(self, value: str) -> str:
        """A value as a person reads it (a tier's name, not its code)."""
        return CustomerCorrection.shown(self.field, value)


@dataclass(frozen=True)
class CallerMatch:
    """A known customer against what the agent typed: the contact person the typed name is (if
    any), the differences that need the agent's choice, and the record's empty fields the typed
    values fill in."""

    customer: Customer
    contact_person: ContactPerson | None
    differences: list[Difference] = field(default_factory=list)
    fill_in: dict[str, str] = field(default_factory=dict)


def customer_match(*, customer: Customer, name: str, organisation: str = "", email: str = "",
                   tier: str = "") -> CallerMatch:
    """How the typed details compare with `customer`'s record. An empty organisation or e-mail is
    "not said", never a difference; one the record lacks is filled in. A name that is one of the
    customer's contact persons is that person calling again, not a difference."""
    contact = None
    differences = []
    if _plain(name) != _plain(customer.name):
        contact = (customer.contact_persons.filter(name=_plain(name)).order_by("pk").first()
                   if _plain(name) else None)
        if contact is None:
            differences.append(Difference("name", customer.name, _plain(name)))
    fill_in = {}
    for field_name, typed in (("organisation", _plain(organisation)), ("email", (email or "").strip())):
        recorded = getattr(customer, field_name)
        if not typed or (field_name == "email" and contact is not None):
            continue  # not said, or the contact person's own e-mail (theirs to change: caller_resolve)
        if not recorded:
            fill_in[field_name] = typed
        elif typed.casefold() != recorded.casefold():
            differences.append(Difference(field_name, recorded, typed))
    if tier and tier != customer.tier:
        differences.append(Difference("tier", customer.tier, tier))
    return CallerMatch(customer=customer, contact_person=contact, differences=differences, fill_in=fill_in)


@dataclass(frozen=True)
class CustomerOverview:
    """What the intake panel shows of a known customer."""

    customer: Customer
    contact_persons: list[ContactPerson]
    open_cases: list[Any]
    recent_cases: list[Any]
    hints: list[str]


def customer_overview(*, customer: Customer, category: str = "") -> CustomerOverview:
    """The customer's open cases (complaints and proposals, oldest first), their latest closed
    ones, their contact persons, and what the case kinds have to say before a new case is
    registered (a complaint's repeat rule, `casework.case_kinds.register_intake_hint`)."""
    open_cases: list[Any] = []
    recent: list[Any] = []
    for manager in (customer.complaints, customer.proposals):  # reverse accessors: casework imports neither app
        open_cases += list(manager.open().order_by("received_at", "pk")[:OPEN_CASES_SHOWN])
        closed = manager.exclude(pk__in=manager.open().values("pk"))
        recent += list(closed.order_by("-received_at", "-pk")[:RECENT_CASES_SHOWN])
    open_cases.sort(key=lambda case: case.received_at)
    recent.sort(key=lambda case: case.received_at, reverse=True)
    contacts = list(customer.contact_persons.order_by("name", "pk")[:20])
    return CustomerOverview(customer=customer, contact_persons=contacts, open_cases=open_cases[:OPEN_CASES_SHOWN],
                            recent_cases=recent[:RECENT_CASES_SHOWN],
                            hints=intake_hints(customer=customer, category=category))
