"""Finding a part of a short text (a customer's name, a case's subject or number) among a million
rows: what the search box does with anything that is not a phone or a whole case number.

A part of a text is `icontains`, `UPPER(column) LIKE UPPER('%…%')`, which no B-tree serves: at a
million complaints the search read every row the other filters left (0.8 s for the open ones,
seconds across states). On PostgreSQL the searched columns have a GIN index of their grams
(`closeloop_grams`, migration casework 0012): every character, every two and every three
characters in a row of the upper-cased text. The desk types one to three Chinese characters ("王",
"小明", "收费"); a pg_trgm index cannot find an infix shorter than three characters (it has no
trigram to look up and reads its whole index), hence grams of our own, which can:

  typed                 looked up in the index
  1 to 3 characters     the text itself, one gram: exactly the rows that contain it
  4 or more             every three characters in a row, then the LIKE checks the rows found

`text_contains` writes it: on PostgreSQL the grams (and the LIKE for longer text), on other
databases (SQLite) the LIKE, reading every row as before. What is found is what `icontains`
finds, everywhere.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Q
from django.db.models.lookups import IContains
from django.db.models.sql.compiler import SQLCompiler

SQL = tuple[str, list[Any]]
# The longest gram of the index (closeloop_grams): a text up to this long is one of its grams.
LONGEST_GRAM = 3


def gram_index_create(schema_editor, *, name: str, table: str, column: str, condition: str = "") -> None:
    """Build one gram index (a migration's, on PostgreSQL) without blocking writes to the table:
    CONCURRENTLY, so the migration must not be atomic. At a million complaints the four of
    complaints 0010 take minutes, during which the desk goes on registering. A build that failed
    half-way leaves an invalid index under the name, which IF NOT EXISTS would then keep for good:
    it is dropped first. An index of that name built beforehand by hand is kept."""
    schema_editor.execute(f"""DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                    WHERE c.relname = '{name}' AND NOT i.indisvalid) THEN
            EXECUTE 'DROP INDEX "{name}"';
        END IF; END $$""")
    schema_editor.execute(f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{name}" ON "{table}" '
                          f'USING gin (closeloop_grams(UPPER("{column}"::text))) {condition}')


class HasGrams(IContains):
    """On PostgreSQL: every gram of the text (`closeloop_search_grams`) is among the column's, read
    through the column's gram index, whose expression this is to the letter (the migrations:
    casework 0012, complaints 0010, proposals 0009): what `icontains` finds, and for a text of
    more than LONGEST_GRAM characters possibly more. Elsewhere, `icontains` itself."""

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> SQL:
        if not isinstance(self.rhs, str) or not self.rhs:
            sql, params = self.as_sql(compiler, connection)
            return sql, list(params)
        column_sql, column_params = compiler.compile(self.lhs)
        return (f"closeloop_grams(UPPER({column_sql}::text)) @> closeloop_search_grams(UPPER(%s))",
                [*column_params, self.rhs])


class HasText(IContains):
    """`icontains` itself, written on PostgreSQL as `strpos(UPPER(column), UPPER(text)) <> 0`: the
    same rows, as cheap to check on a row, but where the planner guesses that a tenth of a percent
    of the rows match `LIKE '%…%'` (it has no statistics of UPPER(column)), it takes this for true
    of nearly every row. Beside HasGrams, whose selectivity it reads in the gram index's
    statistics, it then expects as many rows as the grams find, not a thousandth of them (and
    plans the page by deadline accordingly: walking the clocks in order for a common word rather
    than reading every case's clocks)."""

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> SQL:
        if not isinstance(self.rhs, str):
            sql, params = self.as_sql(compiler, connection)
            return sql, list(params)
        column_sql, column_params = compiler.compile(self.lhs)
        return f"strpos(UPPER({column_sql}::text), UPPER(%s)) <> 0", [*column_params, self.rhs]


def text_contains(fields: list[str], text: str, *, also: Q | None = None, indexed: bool = True) -> Q:
    """One of `fields` contains `text`, case-insensitively (`icontains`), or `also` holds.

    Written twice, ANDed. The OR of the fields' grams (and `also`), which PostgreSQL reads as one
    bitmap of their indexes and, the condition being the bitmap's own, checks no further: no row's
    grams are computed. And the OR of the fields' text (HasText), which the rows found must pass:
    for a text of more than LONGEST_GRAM characters that is what makes it exact; for any text it
    is what a plan that reads rows anyway (the newest first, while the planner expects to find a
    page of them soon) checks on each first, the grams (some 10 µs a row) only on the rows it
    lets through. Elsewhere than PostgreSQL both halves are `icontains`.

    `indexed=False`: the text alone, for a query that reads the rows anyway (`also` is a sub-query
    of many rows, which no bitmap ORs with the grams)."""
    texts = [Q(HasText(F(field), text)) for field in fields]
    if also is not None:  # first: PostgreSQL tries an OR's terms in order, and it is the cheap one
        texts = [also, *texts]
    if not indexed:
        return Q(*texts, _connector=Q.OR)
    grams = [Q(HasGrams(F(field), text)) for field in fields]
    if also is not None:
        grams = [also, *grams]
    return Q(*grams, _connector=Q.OR) & Q(*texts, _connector=Q.OR)


# A case number is T[A-Z], six digits, a dash and digits (workflow.selectors.CASE_NUMBER): text
# with anything else in it, once upper-cased, is in no number.
_NUMBER_CHARACTERS = re.compile(r"[A-Z0-9-]+")


def may_be_in_a_case_number(text: str) -> bool:
    return bool(_NUMBER_CHARACTERS.fullmatch(text.upper()))
