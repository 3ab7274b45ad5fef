"""The four roles of SPEC §1, as Django groups, and the questions every policy asks about them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "agent", _("Service agent")
    HANDLER = "handler", _("Unit handler")
    MANAGER = "manager", _("Service manager")
    ADMIN = "admin", _("Administrator")


def user_roles(user) -> frozenset[str]:
    """The role names of a user, read once per request object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_closeloop_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        user._closeloop_roles = cached
    return cached


def user_unit_ids(user) -> frozenset[int]:
    """The responsible units a handler belongs to."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_closeloop_unit_ids", None)
    if cached is None:
        cached = frozenset(user.responsible_units.values_list("pk", flat=True))
        user._closeloop_unit_ids = cached
    return cached


def is_service_desk(user) -> bool:
    """Agents and managers: they see every case and talk to customers."""
    return bool(user_roles(user) & {Role.AGENT, Role.MANAGER})


def is_manager(user) -> bool:
    return Role.MANAGER in user_roles(user)


def is_staff_role(user) -> bool:
    """Any of the four roles: the people allowed to see customers' personal data."""
    return bool(user_roles(user))


def people_with_role(role: str) -> list:
    """The active people holding a role (the managers an approval waits for, say)."""
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(groups__name=role, is_active=True))


def desk_people_for(owner, *, agents: list | None = None) -> list:
    """Who hears of a case its owner would hear of: the owner, or — when the owner is a system
    account nobody logs in as (the portal's) — every agent of the desk, so that a case the customer
    filed on the web is not told to no one. `agents`: the desk's agents already read (a sweep reads
    them once for all its cases)."""
    if owner is None:
        return []
    if owner.has_usable_password():
        return [owner]
    desk = agents if agents is not None else people_with_role(Role.AGENT)
    return [person for person in desk if person.has_usable_password()]


def unit_handlers(unit) -> list:
    """The active handlers of a responsible unit; nobody for a case not yet dispatched."""
    return [] if unit is None else [u for u in unit.members.all() if u.is_active]
