"""Paging long lists without counting a million rows on every page view."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 10_000
# A search's list (the search box's text): beyond this many, the search is narrowed rather than
# paged, and a million cases' most common words are counted from a thousand rows, not ten.
SEARCH_COUNT_CAP = 1_000


class CappedPaginator(Paginator):
    """Counts at most `cap` + 1 rows (a LIMITed sub-query; COUNT_CAP unless told); beyond that the
    page says "more than 10,000" and offers the first 400 pages — filters narrow a list that long.

    `count_queryset`: the same rows without per-row annotations, so counting does not
    evaluate them (Django keeps sub-query annotations inside the COUNT)."""

    def __init__(self, object_list, per_page, *, count_queryset=None, cap: int = COUNT_CAP, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_queryset = count_queryset if count_queryset is not None else object_list
        self.cap = cap

    @cached_property
    def count(self) -> int:
        return self.count_queryset.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap
