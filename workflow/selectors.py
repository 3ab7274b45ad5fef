"""Reading cases of any kind for the pages, already filtered by the one visibility rule
(workflow.policy.visible_cases). Each case app's selectors name its model and its own filters."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from sla.selectors import cases_overdue_or_due_soon

from .policy import visible_cases

M = TypeVar("M", bound=Model)


def case_list(cases: QuerySet[M], *, user: Any, open_cases: Q, state: str = "", open_only: bool = False,
              unit: Any = None, search: str = "", search_in: tuple[str, str] = ("number", "subject"),
              newest: str = "received_at", **equal: Any) -> QuerySet[M]:
    """A queue: the cases this user may see, newest (by `newest`) first. `state` wins over `open_only`,
    which keeps the rows matching `open_cases` (the predicate of the kind's partial indexes); `search`
    looks in the two fields of `search_in` (the number and the subject); every other filter given a
    value (`category`, `priority`…) must equal it."""
    qs = visible_cases(user, cases)
    if state:
        qs = qs.filter(state=state)
    elif open_only:
        qs = qs.filter(open_cases)
    if unit is not None:
        qs = qs.filter(responsible_unit=unit)
    qs = qs.filter(**{name: value for name, value in equal.items() if value})
    if search:
        first, second = search_in
        qs = qs.filter(Q(**{f"{first}__icontains": search}) | Q(**{f"{second}__icontains": search}))
    return qs.order_by(f"-{newest}", "-pk")


def case_rows(queryset: QuerySet[M]) -> QuerySet[M]:
    """What a list page shows of each case: its customer and unit (the nearest deadline is attached
    to the page's rows afterwards, see sla.selectors.attach_next_deadlines)."""
    return queryset.select_related("customer", "responsible_unit")


def case_get_visible(cases: QuerySet[M], *, user: Any, number: str, related: tuple[str, ...] = ()) -> M:
    """The case with this number, or the model's DoesNotExist when it does not exist or is not this
    user's to see (so another unit's case is a 404, not a 403)."""
    return visible_cases(user, cases).select_related("customer", "responsible_unit", *related).get(number=number)


def case_overdue_queue(open_cases: QuerySet[M], *, user: Any) -> QuerySet[M]:
    """Open cases past a deadline or its 80% warning, nearest deadline first."""
    return cases_overdue_or_due_soon(case_rows(visible_cases(user, open_cases)))
