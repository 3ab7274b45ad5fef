"""A customer's submission from the portal, registered as the desk registers one: the real
intake services, channel "Website form", received now, the customer found by phone or created,
the portal's system user as first responder, the files as attachments — all or nothing."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import CaseEvent
from casework.roles import Role
from casework.services import attachment_add, case_event_record, customer_find_or_create
from casework.timeline import timeline_text
from complaints.choices import Channel as ComplaintChannel
from complaints.models import Complaint
from complaints.services import complaint_register
from proposals.choices import Channel as ProposalChannel
from proposals.models import Proposal
from proposals.services import proposal_register
from sla.models import MilestoneKind
from sla.services import case_clock_due

User = get_user_model()

# What the customer is told to expect: a complaint's resolution, a proposal's feedback.
EXPECTED_MILESTONE = {Complaint: MilestoneKind.RESOLUTION, Proposal: MilestoneKind.PROPOSAL_FEEDBACK}


def portal_user():
    """The system user settings.PORTAL_USER that registers the portal's cases. Made on first use
    (not by a migration: the name is a setting, and a deployment may rename it): no usable
    password, so nobody logs in as it; an agent by role, because intake is the desk's."""
    user, created = User.objects.get_or_create(
        username=settings.PORTAL_USER, defaults={"first_name": "网站", "last_name": ""})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get_or_create(name=Role.AGENT)[0])
    return user


# The portal cannot ask who is calling, as the desk's intake does: a known phone with another name
# is the known customer, and what the customer typed is kept on the case for the desk to settle.
NAME_DIFFERS = timeline_text(
    "portal.name_differs",
    _("On the website the customer gave the name “%(typed)s”; the record of this phone number says "
      "“%(recorded)s”. Ask who is calling at the first contact."))


def _customer(details: dict):
    return customer_find_or_create(name=details["name"], phone=details["phone"], email=details["email"])


def _keep_what_was_typed(case: Complaint | Proposal, details: dict) -> None:
    typed, recorded = details["name"].strip(), case.customer.name
    if typed and typed != recorded:
        case_event_record(case=case, kind=CaseEvent.Kind.COMMENT, action="portal_name",
                          lines=[NAME_DIFFERS.line(typed=typed, recorded=recorded)])


@transaction.atomic
def portal_complaint_submit(*, details: dict, files: list[UploadedFile]) -> Complaint:
    actor = portal_user()
    complaint = complaint_register(
        actor=actor, customer=_customer(details), channel=ComplaintChannel.WEB_FORM, received_at=timezone.now(),
        category=details["category"], subject=details["subject"], description=details["description"])
    _keep_what_was_typed(complaint, details)
    for upload in files:
        attachment_add(case=complaint, actor=actor, file=upload)
    return complaint


@transaction.atomic
def portal_proposal_submit(*, details: dict, files: list[UploadedFile]) -> Proposal:
    actor = portal_user()
    proposal = proposal_register(
        actor=actor, customer=_customer(details), channel=ProposalChannel.WEB_FORM, received_at=timezone.now(),
        category=details["category"], subject=details["subject"], content=details["content"])
    _keep_what_was_typed(proposal, details)
    for upload in files:
        attachment_add(case=proposal, actor=actor, file=upload)
    return proposal


def expected_by(case: Complaint | Proposal) -> datetime | None:
    """The due time of the clock the customer waits on, if the case has it."""
    return case_clock_due(case=case, kind=EXPECTED_MILESTONE[type(case)])
