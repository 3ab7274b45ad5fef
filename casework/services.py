"""Writing the shared case records. Callers run these inside the transaction of the change they record."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet

from .case_kinds import CaseRecord, case_content_type
from .models import Attachment, CaseEvent, Customer
from .phones import phone_normalise


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
    return Attachment.objects.filter(
        case_type=case_content_type(case), case_id=case.pk
    ).select_related("uploaded_by")


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
