"""Who hears of an escalation (SPEC §5): level 0 and 1 the assignee side (the unit's
handlers and lead, or the case's owner before dispatch), level 2 adds the managers,
level 3 the managers and administrators."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from casework.models import Notification
from casework.roles import Role

from .models import Escalation

MESSAGES = {
    0: gettext_noop("%(case)s: %(milestone)s is due at %(due)s (80%% of the time used)."),
    1: gettext_noop("%(case)s: %(milestone)s missed its deadline of %(due)s."),
    2: gettext_noop("%(case)s: %(milestone)s is one working day overdue (due %(due)s)."),
    3: gettext_noop("%(case)s has been open for more than three months: company-level project (立项)."),
}


def _role_members(role: str) -> list:
    return list(get_user_model().objects.filter(groups__name=role, is_active=True))


def _recipients(escalation: Escalation, managers: list, admins: list) -> set:
    milestone = escalation.milestone
    people = set()
    if milestone.unit is not None:
        people.update(u for u in milestone.unit.members.all() if u.is_active)
        if escalation.level >= 1 and milestone.unit.lead is not None:
            people.add(milestone.unit.lead)
    if milestone.unit is None or escalation.level >= 1:
        if milestone.owner is not None:
            people.add(milestone.owner)
    if escalation.level >= 2:
        people.update(managers)
    if escalation.level >= 3:
        people.update(admins)
    return people


def escalations_notify(*, sweep_id: str) -> int:
    """Create the in-app notifications of one sweep's escalations; safe to run twice."""
    with transaction.atomic():
        escalations = list(
            Escalation.objects.filter(sweep_id=sweep_id, notified_at__isnull=True)
            .select_related("milestone__unit__lead", "milestone__owner")
            .prefetch_related("milestone__unit__members")
        )
        if not escalations:
            return 0
        managers, admins = _role_members(Role.MANAGER), _role_members(Role.ADMIN)
        notifications = []
        for escalation in escalations:
            milestone = escalation.milestone
            message = _(MESSAGES[escalation.level]) % {
                "case": milestone.case_number,
                "milestone": milestone.get_kind_display(),
                "due": timezone.localtime(milestone.due_at).strftime("%Y-%m-%d %H:%M"),
            }
            notifications += [
                Notification(recipient=person, source=f"escalation:{escalation.pk}",
                             case_type_id=milestone.case_type_id, case_id=milestone.case_id,
                             case_number=milestone.case_number, message=message[:500])
                for person in _recipients(escalation, managers, admins)
            ]
        Notification.objects.bulk_create(notifications, ignore_conflicts=True)
        Escalation.objects.filter(pk__in=[e.pk for e in escalations]).update(notified_at=timezone.now())
        from casework.tasks import enqueue, send_pending_emails

        transaction.on_commit(lambda: enqueue(send_pending_emails))
    return len(notifications)
