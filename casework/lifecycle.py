"""What every kind of case does around a lifecycle change: re-read the row, check the
actor and the version the person was shown, claim the row with a conditional update,
then let the caller apply its transition in the same transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils.functional import Promise
from django_fsm import ConcurrentTransition, can_proceed

from .case_kinds import CaseT
from .errors import CaseConflict, TransitionNotPossible


@contextmanager
def case_claimed(*, queryset: QuerySet[Any], case: CaseT, actor: User | None, action: str,
                 expected_version: int | None, label: Promise | str,
                 may_act_otherwise: Callable[[Any, User], bool]) -> Iterator[CaseT]:
    """Lock in the change: fresh row, permission, version, state — then the caller's edit, then save.

    `action` names a @transition method (its own permission applies) or another edit, which
    `may_act_otherwise(case, actor)` allows. The case model has a `version` column."""
    model = queryset.model
    with transaction.atomic():
        fresh = queryset.get(pk=case.pk)
        method = getattr(fresh, action, None)
        is_transition = method is not None and hasattr(method, "_django_fsm")
        if is_transition:
            if not any(t.has_perm(fresh, actor) for t in method._django_fsm.transitions.values()):
                raise PermissionDenied
        elif not may_act_otherwise(fresh, actor):
            raise PermissionDenied
        version = case.version if expected_version is None else expected_version
        if fresh.version != version:
            raise CaseConflict(fresh)
        if is_transition and not can_proceed(method):
            raise TransitionNotPossible(fresh, label)
        # The conditional update takes the row lock: of two concurrent requests
        # carrying the same version, exactly one gets a row back.
        if not model.objects.filter(pk=fresh.pk, version=version).update(version=version + 1):
            fresh.refresh_from_db()
            raise CaseConflict(fresh)
        fresh.version = version + 1
        try:
            yield fresh
        except ConcurrentTransition:
            # django-fsm's own guard (state changed under us); same meaning for the person.
            raise CaseConflict(model.objects.get(pk=fresh.pk)) from None
