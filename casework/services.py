"""Writing the shared case records. Callers run these inside the transaction of the change they record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .case_kinds import CaseRecord, case_content_type
from .errors import CallerRefused
from .models import Attachment, CaseEvent, ContactPerson, Customer, CustomerCorrection
from .phones import phone_normalise
from .selectors import Difference, customer_by_phone, customer_match
from .timeline import timeline_text


def case_event_record(
    *,
    case: CaseRecord,
    kind: str,
    actor: User | None = None,
    action: str = "",
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    lines: list[dict[str, Any]] | None = None,
) -> CaseEvent:
    """One timeline entry. `note` is what a person wrote, as written; `lines` what the system says,
    in no language (casework.timeline: `SOME_TEXT.line(**params)`), shown in the reader's."""
    return CaseEvent.objects.create(
        case_type=case_content_type(case),
        case_id=case.pk,
        kind=kind,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
        lines=lines or None,
    )


def case_timeline(*, case: CaseRecord) -> QuerySet[CaseEvent]:
    return (
        CaseEvent.objects.filter(case_type=case_content_type(case), case_id=case.pk)
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def case_attachments(*, case: CaseRecord) -> QuerySet[Attachment]:
    # Without who uploaded each: the case page lists a file's name and time, the file's address
    # serves it, and neither reads the uploader (the admin's list does, through its own query).
    return Attachment.objects.filter(case_type=case_content_type(case), case_id=case.pk)


@transaction.atomic
def attachment_add(*, case: CaseRecord, actor: User, file: UploadedFile) -> Attachment:
    attachment = Attachment(
        case_type=case_content_type(case),
        case_id=case.pk,
        file=file,
        original_name=(file.name or "")[:255],  # a form's upload has a name; none is refused as blank
        uploaded_by=actor,
    )
    attachment.full_clean()
    attachment.save()
    case_event_record(case=case, kind=CaseEvent.Kind.ATTACHMENT, actor=actor, note=attachment.original_name)
    return attachment


def customer_find_or_create(
    *, name: str, phone: str, organisation: str = "", email: str = "", tier: str = ""
) -> Customer:
    """The hotline knows a caller by phone number (in its one written form, whatever was typed):
    reuse that customer, fill in what was missing."""
    phone = phone_normalise(phone)
    customer = Customer.objects.filter(phone=phone).order_by("pk").first()
    if customer is None:
        customer = Customer(name=name, phone=phone, organisation=organisation, email=email)
        if tier:
            customer.tier = tier
        customer.full_clean()
        customer.save()
        return customer
    changed: list[str] = []
    for field, value in (("organisation", organisation), ("email", email)):
        if value and not getattr(customer, field):
            setattr(customer, field, value)
            changed.append(field)
    if changed:
        customer.save(update_fields=changed)
    return customer


def customers_find_or_create_many(rows: list[dict[str, Any]]) -> dict[str, Customer]:
    """customer_find_or_create for a batch: one query for the known phones, one insert for the rest.
    Each row has name and phone, and may have organisation, email and tier. Keyed by the phone's
    written form (`phone_normalise`), which is what the import forms' cleaned rows hold."""
    rows = [{**row, "phone": phone_normalise(row["phone"])} for row in rows]
    phones = {row["phone"] for row in rows}
    known: dict[str, Customer] = {}
    for customer in Customer.objects.filter(phone__in=phones).order_by("-pk"):
        known[customer.phone] = customer  # the lowest pk wins, as in customer_find_or_create
    new: dict[str, Customer] = {}
    for row in rows:
        if row["phone"] not in known and row["phone"] not in new:
            new[row["phone"]] = Customer(
                name=row["name"], phone=row["phone"], organisation=row.get("organisation") or "",
                email=row.get("email") or "", tier=row.get("tier") or Customer.Tier.ORDINARY)
    Customer.objects.bulk_create(new.values())
    return known | new


class CallerIs(models.TextChoices):
    """The agent's answer when the phone number is a known customer's and what they typed differs."""

    SAME = "same", gettext_lazy("The same person: keep the customer's record as it is")
    CONTACT = "contact", gettext_lazy("A new contact person of this customer")
    CORRECT = "correct", gettext_lazy("Correct the customer's record with what I typed")


# Customer-wide details: a contact person has their customer's, so they cannot differ for one.
_CUSTOMER_WIDE = ("organisation", "tier")


@dataclass(frozen=True)
class Caller:
    """Who a new case is from: the customer, the contact person who called for them (if not the
    customer), and what of the customer's record this intake changed (corrected or filled in)."""

    customer: Customer
    contact_person: ContactPerson | None = None
    changes: list[Difference] = dataclass_field(default_factory=list)


def _refusal(differences: list[Difference], message: str) -> dict[str, str]:
    return {d.field: message % {"recorded": d.shown(d.recorded) or "—", "typed": d.shown(d.typed)}
            for d in differences}


@transaction.atomic
def caller_resolve(*, name: str, phone: str, organisation: str = "", email: str = "", tier: str = "",
                   caller_is: str = "") -> Caller:
    """The customer (and contact person) a new case is from, as the agent said. A phone number
    nobody has is a new customer. A known one whose record differs from what was typed needs the
    agent's choice (`CallerIs`), else CallerRefused names each difference (keys: the
    arguments' names): nothing typed is dropped without a word. An organisation or e-mail the
    record lacks is filled in."""
    customer = customer_by_phone(phone=phone)
    if customer is None:
        return Caller(customer=customer_find_or_create(name=name, phone=phone, organisation=organisation,
                                                       email=email, tier=tier))
    match = customer_match(customer=customer, name=name, organisation=organisation, email=email, tier=tier)
    differences, contact = match.differences, match.contact_person
    if differences and caller_is not in CallerIs.values:
        raise CallerRefused({
            "caller_is": _("This phone number is %(customer)s's, whose record differs from what you typed. "
                           "Choose who is calling.") % {"customer": customer},
            **_refusal(differences, _("The customer's record says “%(recorded)s”, not “%(typed)s”.")),
        })
    if differences and caller_is == CallerIs.SAME:
        raise CallerRefused(_refusal(differences, _(
            "The customer's record says “%(recorded)s”: keeping the record would not store “%(typed)s”. "
            "Type the record's value, or choose a new contact person or a correction.")))
    fill_in = dict(match.fill_in)
    changes = [Difference(key, "", value) for key, value in fill_in.items()]
    if differences and caller_is == CallerIs.CONTACT:
        wide = [d for d in differences if d.field in _CUSTOMER_WIDE]
        if wide:
            raise CallerRefused(_refusal(wide, _(
                "A contact person belongs to the customer's record, which says “%(recorded)s”, not “%(typed)s”. "
                "Type the record's value, or choose a correction.")))
        fill_in.pop("email", None)  # the typed e-mail is the contact person's
        changes = [c for c in changes if c.field != "email"]
        contact = ContactPerson(customer=customer, name=" ".join(name.split()) or customer.name,
                                phone=customer.phone, email=(email or "").strip())
        contact.full_clean()
        contact.save()
    elif contact is not None and (email or "").strip() not in ("", contact.email):
        # A known contact person calling with a new address: theirs, not the customer's, and no second person.
        contact.email = (email or "").strip()
        contact.full_clean()
        contact.save(update_fields=["email"])
    if differences and caller_is == CallerIs.CORRECT:
        if any(d.field == "name" for d in differences):
            contact = None  # the typed name is the customer's own now; else the contact person still called
        fill_in.update({d.field: d.typed for d in differences})
        changes += differences
    if fill_in:
        for key, value in fill_in.items():
            setattr(customer, key, value)
        customer.full_clean()
        customer.save(update_fields=list(fill_in))
    return Caller(customer=customer, contact_person=contact, changes=changes)


def caller_record(*, caller: Caller, case: CaseRecord, actor: User | None) -> None:
    """Write down what registering `case` changed of its customer's record: the customer's history
    (`CustomerCorrection`, on the customer page) and one line on the case's timeline."""
    if not caller.changes:
        return
    CustomerCorrection.objects.bulk_create(
        CustomerCorrection(customer=caller.customer, field=change.field, old_value=change.recorded[:200],
                           new_value=change.typed[:200], case_number=case.number, actor=actor)
        for change in caller.changes)
    lines = [RECORD_CORRECTED.line()] + [
        (TIER_CORRECTED if change.field == "tier" else FIELD_CORRECTED).line(
            field=change.field, old=change.recorded, new=change.typed)
        for change in caller.changes]
    case_event_record(case=case, kind=CaseEvent.Kind.COMMENT, actor=actor, action="correct_customer", lines=lines)


def _field_name(field: str) -> str:
    return str(CustomerCorrection.FIELDS.get(field, field))


def _tier_name(value: str) -> str:
    return CustomerCorrection.shown("tier", value) or "—"


# What the timeline says of a correction, in the reader's language (codes stored, names shown).
RECORD_CORRECTED = timeline_text("casework.record_corrected",
                                 gettext_lazy("The customer's record was corrected at registration:"))
FIELD_CORRECTED = timeline_text("casework.field_corrected", gettext_lazy("%(field)s: “%(old)s” → “%(new)s”"),
                                field=_field_name, old=lambda value: value or "—")
TIER_CORRECTED = timeline_text("casework.tier_corrected", gettext_lazy("%(field)s: “%(old)s” → “%(new)s”"),
                               field=_field_name, old=_tier_name, new=_tier_name)


CaseT = TypeVar("CaseT", bound=CaseRecord)


@transaction.atomic
def case_register_for_caller(*, actor: User, register: Callable[..., CaseT], caller: dict[str, Any],
                             case: dict[str, Any]) -> CaseT:
    """Intake in one transaction: who is calling (`caller_resolve` with `caller`), the case by the
    kind's `register(actor=, customer=, contact_person=, **case)`, and what it changed of the
    customer's record (`caller_record`). Refused anywhere, nothing is written."""
    who = caller_resolve(**caller)
    new_case = register(actor=actor, customer=who.customer, contact_person=who.contact_person, **case)
    caller_record(caller=who, case=new_case, actor=actor)
    return new_case
