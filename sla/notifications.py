"""Who hears of an escalation (SPEC §5): level 0 and 1 the assignee side (the unit's
handlers and lead, or the case's owner before dispatch), level 2 adds the managers,
level 3 the managers and administrators."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from casework.models import Notification
from casework.notifications import notification_rows, notifications_store
from casework.roles import Role, desk_people_for, people_with_role

from .models import Escalation

log = logging.getLogger(__name__)

MESSAGES = {
    0: gettext_noop("%(case)s: %(milestone)s is due at %(due)s (80%% of the time used)."),
    1: gettext_noop("%(case)s: %(milestone)s missed its deadline of %(due)s."),
    2: gettext_noop("%(case)s: %(milestone)s is one working day overdue (due %(due)s)."),
    3: gettext_noop("%(case)s has been open for more than three months: company-level project (立项)."),
}


def _recipients(escalation: Escalation, managers: list, admins: list) -> set:
    milestone = escalation.milestone
    people = set()
    if milestone.unit is not None:
        people.update(u for u in milestone.unit.members.all() if u.is_active)
        if escalation.level >= 1 and milestone.unit.lead is not None:
            people.add(milestone.unit.lead)
    if milestone.unit is None or escalation.level >= 1:
        people.update(desk_people_for(milestone.owner))
    if escalation.level >= 2:
        people.update(managers)
    if escalation.level >= 3:
        people.update(admins)
    return people


def _readable_escalations(escalations) -> list[Escalation]:
    """All of them in one query; if one cannot be read (a date out of Python's range, written
    before dates were bounded), one by one, so that it alone is left out and logged."""
    try:
        return list(escalations)
    except Exception:  # noqa: BLE001 — psycopg2 and SQLite raise ValueError/OverflowError alike
        log.warning("an escalation of this sweep cannot be read; reading them one by one", exc_info=True)
    readable = []
    for pk in escalations.values_list("pk", flat=True):
        try:
            readable.append(escalations.get(pk=pk))
        except Exception:  # noqa: BLE001
            log.exception("escalation %s cannot be read; left for the next sweep", pk)
    return readable


def _notifications_of(escalation: Escalation, managers: list, admins: list) -> list[Notification]:
    milestone = escalation.milestone
    message = _(MESSAGES[escalation.level]) % {
        "case": milestone.case_number,
        "milestone": milestone.get_kind_display(),
        "due": timezone.localtime(milestone.due_at).strftime("%Y-%m-%d %H:%M"),
    }
    return notification_rows(recipients=_recipients(escalation, managers, admins),
                             case_type_id=milestone.case_type_id, case_id=milestone.case_id,
                             case_number=milestone.case_number, message=message,
                             source=f"escalation:{escalation.pk}")


def escalations_notify(*, sweep_id: str) -> int:
    """Create the in-app notifications of one sweep's escalations; safe to run twice."""
    with transaction.atomic():
        escalations = _readable_escalations(
            Escalation.objects.filter(sweep_id=sweep_id, notified_at__isnull=True)
            .select_related("milestone__unit__lead", "milestone__owner")
            .prefetch_related("milestone__unit__members")
            .order_by("pk")
        )
        if not escalations:
            return 0
        managers, admins = people_with_role(Role.MANAGER), people_with_role(Role.ADMIN)
        notifications, done = [], []
        for escalation in escalations:
            try:
                notifications += _notifications_of(escalation, managers, admins)
            except Exception:  # noqa: BLE001 — one bad row must not silence everyone else's notices
                log.exception("escalation %s could not be notified; left for the next sweep", escalation.pk)
            else:
                done.append(escalation.pk)
        notifications_store(notifications)
        Escalation.objects.filter(pk__in=done).update(notified_at=timezone.now())
    return len(notifications)
