"""Each case's own deadline columns, kept equal to its running clocks: `next_due_at` (the nearest
due time: the desk's deadline order) and `due_soon_at` (the earliest moment a clock warns, or is due
when it has no warning: the overdue and due-soon lists). They let a queue of a million cases read
an index of the case table rather than five million clock rows. Every function of sla.services
that starts, ends or moves a clock for one case refreshes them in the clock's transaction; bulk
writers of clock rows (the generators, the migration that added them) rebuild them; tests/conftest.py
checks after every test that they agree with the clocks.

The order of locks: a case's own change locks the case, then its clocks. A batch that moves many
clocks (a policy's new target, a changed calendar) therefore refreshes the cases only after its
clocks are committed, holding none of them — waiting for a case while holding its clock would
deadlock with an agent acting on that case. Its cases' columns lag their clocks by that moment; the
sweep, which reads the clocks, never does."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, time
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from casework.date_bounds import earliest_date

from .models import OPEN, OPEN_LOOKUPS, Milestone

REFRESH_CHUNK = 1000


def keeps_next_deadline(model: type[Model]) -> bool:
    """Complaints and proposals keep the columns; a survey, whose list has no deadline order, does not."""
    return any(field.name == "next_due_at" for field in model._meta.concrete_fields)


def _readable_clocks() -> Q:
    """A clock whose due time a page can show: one from before dates were bounded (due in year 1,
    say) is left out, so a bad clock never makes its case's row, and every list showing it, unreadable."""
    return Q(due_at__gte=timezone.make_aware(datetime.combine(earliest_date(), time.min)))


def _columns(running: QuerySet[Any]) -> dict[str, Subquery]:
    """The two columns as sub-queries over a case's running clocks (`running`, by OuterRef("pk"))."""
    mine = running.filter(case_id=OuterRef("pk"))
    # Never after the clock's own deadline: an overdue case is always due soon too.
    soon = mine.annotate(soon=Least(Coalesce("warn_at", "due_at"), "due_at")).order_by("soon").values("soon")[:1]
    return {"next_due_at": Subquery(mine.order_by("due_at").values("due_at")[:1]), "due_soon_at": Subquery(soon)}


def cases_next_due_refresh(*, case_type: ContentType, case_ids: Iterable[int], lock_first: bool = False) -> None:
    """Set these cases' columns from their running clocks (empty when none runs).

    `lock_first`, for a batch outside the cases' own transactions: each chunk's cases are locked
    (in key order) by a statement of their own before the update reads the clocks. An UPDATE that
    waited for a case's lock would compute its columns from the clocks as they were when it began
    (PostgreSQL re-reads only the row), undoing what the agent holding the case just committed."""
    model = case_type.model_class()
    if model is None or not keeps_next_deadline(model):
        return
    columns = _columns(Milestone.objects.filter(OPEN, _readable_clocks(), case_type=case_type))
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), REFRESH_CHUNK):
        chunk = model._default_manager.filter(pk__in=ids[start:start + REFRESH_CHUNK])
        if not lock_first:  # inside the case's own transaction, which holds it
            chunk.update(**columns)
            continue
        with transaction.atomic():
            list(chunk.order_by("pk").select_for_update().values_list("pk", flat=True))
            chunk.update(**columns)


def cases_next_due_refresh_of(clocks: Iterable[Milestone]) -> None:
    """The cases of these clocks, moved by a batch (committed), whatever their kind."""
    by_type: dict[int, set[int]] = defaultdict(set)
    for clock in clocks:
        by_type[clock.case_type_id].add(clock.case_id)
    for case_type_id, case_ids in by_type.items():
        cases_next_due_refresh(case_type=ContentType.objects.get_for_id(case_type_id), case_ids=case_ids,
                               lock_first=True)


def cases_next_due_rebuild(*, cases: QuerySet[Any], clocks: QuerySet[Any]) -> int:
    """Every case of `cases` given its columns anew from `clocks` (that kind's clocks), for writers
    of clock rows in bulk. Takes querysets rather than models so a migration can pass its
    historical ones. Returns how many cases have a running clock."""
    running = clocks.filter(_readable_clocks(), **OPEN_LOOKUPS)
    cases.filter(next_due_at__isnull=False).exclude(pk__in=running.values("case_id")).update(
        next_due_at=None, due_soon_at=None)
    return cases.filter(pk__in=running.values("case_id")).update(**_columns(running))


def cases_next_due_repair(*, case_type: ContentType, dry_run: bool = False, chunk: int = 10_000) -> list[int]:
    """The cases of one kind whose columns disagree with their running clocks, set anew (unless
    `dry_run`): for an operator after a restore, a hand-made change of clock rows, or a bug. Walks
    the table in key ranges, so it neither holds one long transaction nor reads a million rows at
    once; each disagreeing chunk is locked before it is refreshed, like a batch's (lock_first).
    Returns the ids found disagreeing. A dry run reads them once more at the end and reports only
    those still disagreeing: a batch that moved clocks refreshes its cases just after committing
    them, and a check in between would otherwise report that moment's cases."""
    model = case_type.model_class()
    if model is None or not keeps_next_deadline(model):
        return []
    columns = _columns(Milestone.objects.filter(OPEN, _readable_clocks(), case_type=case_type))

    def agreement(cases: QuerySet[Any]) -> list[tuple[int, bool]]:
        """(id, whether its columns are what its clocks say) of each case."""
        rows = cases.annotate(expected_due=columns["next_due_at"], expected_soon=columns["due_soon_at"]).values_list(
            "pk", "next_due_at", "due_soon_at", "expected_due", "expected_soon")
        return [(pk, (due, soon) == (expected_due, expected_soon))
                for pk, due, soon, expected_due, expected_soon in rows]

    cases = model._default_manager.order_by("pk")
    found: list[int] = []
    after = 0
    while rows := agreement(cases.filter(pk__gt=after)[:chunk]):
        after = rows[-1][0]
        differing = [pk for pk, agrees in rows if not agrees]
        if differing and not dry_run:
            cases_next_due_refresh(case_type=case_type, case_ids=differing, lock_first=True)
        found += differing
    if dry_run and found:
        return [pk for start in range(0, len(found), chunk)
                for pk, agrees in agreement(cases.filter(pk__in=found[start:start + chunk])) if not agrees]
    return found
