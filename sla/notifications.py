"""Who hears of an escalation (SPEC §5): level 0 and 1 the assignee side (the unit's
handlers and lead, or the case's owner before dispatch), level 2 adds the managers,
level 3 the managers and administrators — each only if the notice's link opens for them.
A case whose clocks cross several thresholds in one sweep is told once, at the highest level."""

from __future__ import annotations

import logging
from collections import defaultdict

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from casework.models import Notification
from casework.notifications import notification_rows, notifications_store
from casework.roles import Role, desk_people_for, people_with_role

from .models import Escalation, Milestone

log = logging.getLogger(__name__)

MESSAGES = {
    0: gettext_noop("%(case)s: %(milestone)s is due at %(due)s (80%% of the time used)."),
    1: gettext_noop("%(case)s: %(milestone)s missed its deadline of %(due)s."),
    2: gettext_noop("%(case)s: %(milestone)s is one working day overdue (due %(due)s)."),
    3: gettext_noop("%(case)s has been open for more than three months: company-level project (立项)."),
}


def _recipients(escalation: Escalation, managers: list[User], admins: list[User], agents: list[User]) -> set[User]:
    milestone = escalation.milestone
    people: set[User] = set()
    if milestone.unit is not None:
        people.update(u for u in milestone.unit.members.all() if u.is_active)
        if escalation.level >= 1 and milestone.unit.lead is not None:
            people.add(milestone.unit.lead)
    if milestone.unit is None or escalation.level >= 1:
        people.update(desk_people_for(milestone.owner, agents=agents))
    if escalation.level >= 2:
        people.update(managers)
    if escalation.level >= 3:
        people.update(admins)
    return {person for person in people if _may_open(person, milestone)}


def _may_open(person: User, milestone: Milestone) -> bool:
    """Whether the notice's link opens for this person (workflow.policy.visible_cases, which sla
    does not import, read from the prefetched groups): the desk and administrators open every case,
    a handler the cases of their unit. A unit's lead who is none of these is not told."""
    roles = {group.name for group in person.groups.all()}
    if roles & {Role.AGENT, Role.MANAGER, Role.ADMIN}:
        return True
    return Role.HANDLER in roles and milestone.unit is not None and person in milestone.unit.members.all()


def _readable_escalations(escalations: QuerySet[Escalation]) -> list[Escalation]:
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


def _notifications_of(escalations: list[Escalation], managers: list[User], admins: list[User],
                      agents: list[User]) -> list[Notification]:
    """One case's escalations of one sweep, told once: each person hears of the highest level raised
    (a case registered late, or found after an outage, crosses several thresholds at once), and the
    other clocks that ran out with it are named in the same notice. Every level stays recorded as
    reached: the milestones' level, the case's and the timeline are the sweep's (sla/sweep.py)."""
    top = max(escalations, key=lambda e: (e.level, -e.milestone.due_at.timestamp(), -e.pk))
    milestone = top.milestone
    message = _(MESSAGES[top.level]) % {
        "case": milestone.case_number,
        "milestone": milestone.get_kind_display(),
        "due": timezone.localtime(milestone.due_at).strftime("%Y-%m-%d %H:%M"),
    }
    others = sorted({str(e.milestone.get_kind_display()) for e in escalations
                     if e.level >= 1 and e.milestone_id != milestone.pk and e.milestone.kind != milestone.kind})
    if others:
        message += " " + _("Also past their deadlines: %(milestones)s.") % {"milestones": ", ".join(others)}
    recipients: set[User] = set()
    for escalation in escalations:  # the top level's people include the lower levels' of its clock
        recipients |= _recipients(escalation, managers, admins, agents)
    return notification_rows(recipients=recipients, case_type_id=milestone.case_type_id, case_id=milestone.case_id,
                             case_number=milestone.case_number, message=message, source=f"escalation:{top.pk}")


def escalations_notify(*, sweep_id: str) -> int:
    """Create the in-app notifications of one sweep's escalations, one notice per case and person;
    safe to run twice."""
    with transaction.atomic():
        escalations = _readable_escalations(
            Escalation.objects.filter(sweep_id=sweep_id, notified_at__isnull=True)
            .select_related("milestone__unit__lead", "milestone__owner")
            .prefetch_related("milestone__unit__members__groups", "milestone__unit__lead__groups",
                              "milestone__owner__groups")
            .order_by("pk")
        )
        if not escalations:
            return 0
        managers = _with_groups(people_with_role(Role.MANAGER))
        admins = _with_groups(people_with_role(Role.ADMIN))
        # The desk's agents hear of cases filed on the portal (casework.roles.desk_people_for): read once.
        agents = _with_groups(people_with_role(Role.AGENT))
        by_case: dict[tuple[int, int], list[Escalation]] = defaultdict(list)
        for escalation in escalations:
            by_case[(escalation.milestone.case_type_id, escalation.milestone.case_id)].append(escalation)
        notifications: list[Notification] = []
        done: list[int] = []
        for group in by_case.values():
            try:
                notifications += _notifications_of(group, managers, admins, agents)
            except Exception:  # noqa: BLE001 — one bad case must not silence everyone else's notices
                log.exception("escalations %s could not be notified; left for the next sweep", [e.pk for e in group])
            else:
                done += [e.pk for e in group]
        notifications_store(notifications)
        Escalation.objects.filter(pk__in=done).update(notified_at=timezone.now())
    return len(notifications)


def _with_groups(people: list[User]) -> list[User]:
    """The people with their groups read in one query, as `_may_open` reads them."""
    prefetch_related_objects(people, "groups")
    return people
