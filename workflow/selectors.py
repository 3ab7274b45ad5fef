"""Reading cases of any kind for the pages, already filtered by the one visibility rule
(workflow.policy.visible_cases). Each case app's selectors name its model and its own filters."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import F, Model, Q, QuerySet

from casework.models import Customer
from casework.phones import phone_normalise, phone_validator
from casework.text_search import may_be_in_a_case_number, text_contains
from sla.selectors import cases_by_nearest_deadline, cases_overdue, cases_overdue_or_due_soon

from .policy import visible_cases

M = TypeVar("M", bound=Model)

# A whole case number as typed (TS202611-000123, ta202611-7): looked up exactly, through its unique index.
CASE_NUMBER = re.compile(r"T[A-Z]\d{6}-\d{1,9}")
# The sort a queue knows besides its columns: the nearest open deadline, overdue first.
DEADLINE = "deadline"


def case_search(text: str) -> Q:
    """What one search box finds (issue 13): a phone number typed in any form ("+86 138 0000 1111")
    is the customer's, in its one written form (casework.phones); a whole case number is that case;
    anything else is part of the customer's name, the subject or the number."""
    text = text.strip()
    phone = phone_normalise(text)
    if sum(ch.isdigit() for ch in phone) >= 7:
        try:
            phone_validator(phone)
        except ValidationError:
            pass
        else:
            # Through the customers' phone index, then the cases' (customer, …) indexes. The ids
            # read first, as for a name (_customers_named): a frequent caller has thousands of
            # cases, which the planner sees only in a list of ids, not behind a sub-query.
            return Q(customer_id__in=list(Customer.objects.filter(phone=phone).values_list("pk", flat=True)))
    if CASE_NUMBER.fullmatch(text.upper()):
        return Q(number=text.upper())
    # Each part through its own index on PostgreSQL (casework.text_search), which a bitmap scan ORs
    # together (and ANDs with the open cases' index); text that is in no case number (any Chinese
    # character) does not look at the numbers at all.
    fields = ["subject", "number"] if may_be_in_a_case_number(text) else ["subject"]
    customers = _customers_named(text)
    if customers is None:  # in too many names to list: the sub-query, every row read, as before
        named = Customer.objects.filter(name__icontains=text).values("pk")
        return Q(customer__in=named) | text_contains(fields, text, indexed=False)
    return text_contains(fields, text, also=Q(customer_id__in=customers))


# Customers whose names contain the text are listed by id when there are at most this many.
NAME_MATCHES_LISTED = 1000


def _customers_named(text: str) -> list[int] | None:
    """The ids of the customers whose names contain `text`, read first (through the names' gram
    index): the planner then knows how many cases they have (one customer of the million
    complaints has half of them) where a sub-query's ids it must guess, and reads them through the
    cases' customer index. None when more than NAME_MATCHES_LISTED names do (one common character):
    that part is not selective, and a list that long is not worth writing into every query."""
    ids = list(Customer.objects.filter(text_contains(["name"], text)).order_by()
               .values_list("pk", flat=True)[: NAME_MATCHES_LISTED + 1])
    return None if len(ids) > NAME_MATCHES_LISTED else ids


def case_list(cases: QuerySet[M], *, user: Any, open_cases: Q, state: str = "", open_only: bool = False,
              unit: Any = None, search: str = "", search_in: tuple[str, str] | None = None,
              newest: str = "received_at", received_from: datetime | None = None,
              received_to: datetime | None = None, overdue: bool = False, **equal: Any) -> QuerySet[M]:
    """A queue: the cases this user may see, newest (by `newest`) first. `state` wins over `open_only`,
    which keeps the rows matching `open_cases` (the predicate of the kind's partial indexes); `search`
    is `case_search`'s, or looks in the two fields of `search_in`; `received_from` (inclusive) and
    `received_to` (exclusive) bound the time received; `overdue` keeps cases past an open deadline;
    every other filter given a value (`category`, `priority`…) must equal it."""
    qs = visible_cases(user, cases)
    if state:
        qs = qs.filter(state=state)
    elif open_only:
        qs = qs.filter(open_cases)
    if unit is not None:
        qs = qs.filter(responsible_unit=unit)
    qs = qs.filter(**{name: value for name, value in equal.items() if value})
    if received_from is not None:
        qs = qs.filter(**{f"{newest}__gte": received_from})
    if received_to is not None:
        qs = qs.filter(**{f"{newest}__lt": received_to})
    if overdue:
        qs = cases_overdue(qs)
    if search and search_in is None:
        qs = qs.filter(case_search(search))
    elif search and search_in is not None:
        first, second = search_in
        qs = qs.filter(Q(**{f"{first}__icontains": search}) | Q(**{f"{second}__icontains": search}))
    return qs.order_by(f"-{newest}", "-pk")


def case_sorted(queryset: QuerySet[M], *, sort: str, columns: Mapping[str, Sequence[str]],
                newest: str = "received_at") -> QuerySet[M]:
    """The queue in the order asked for: `DEADLINE` (the nearest open deadline first, so an overdue
    case leads; cases without one last, newest first among themselves:
    sla.selectors.cases_by_nearest_deadline), or a column of `columns` (name → model fields), "-name"
    descending; the primary key breaks ties so pages do not overlap. Anything else keeps the
    queryset's own order. Apply it to the rows, not to what the paginator counts."""
    if sort == DEADLINE:
        return cases_by_nearest_deadline(queryset, newest=newest)
    descending, name = sort.startswith("-"), sort.lstrip("-")
    if name not in columns:
        return queryset
    fields = [F(f).desc(nulls_last=True) if descending else F(f).asc(nulls_last=True) for f in columns[name]]
    return queryset.order_by(*fields, "-pk" if descending else "pk")


def case_find_by_numbers(cases: QuerySet[M], *, user: Any, numbers: Sequence[str]) -> list[M]:
    """The cases with these numbers that this user may see, in the order given (a bulk action's
    selection); numbers of cases not found or not visible are left out."""
    found = {c.number: c for c in case_rows(visible_cases(user, cases).filter(number__in=list(numbers)))}  # type: ignore[attr-defined]
    return [found[n] for n in numbers if n in found]


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
