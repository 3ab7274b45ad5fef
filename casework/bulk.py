"""Bulk loading for synthetic data and imports at scale: PostgreSQL COPY, or batched
INSERTs on SQLite, in fixed-size chunks so memory stays flat."""

from __future__ import annotations

import io
from datetime import datetime

from django.core.management.color import no_style
from django.db import connection

CHUNK_ROWS = 20_000


def _copy_text(value) -> str:
    """One value in COPY's text format (hot: called for every cell of a million-row load)."""
    if value.__class__ is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    if value is None:
        return r"\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


class TableSink:
    """Collects rows for one table and writes them a chunk at a time."""

    def __init__(self, model, columns: list[str], chunk_rows: int = CHUNK_ROWS):
        self.table = model._meta.db_table
        self.columns = columns
        self.chunk_rows = chunk_rows
        self.rows: list[tuple] = []
        self.written = 0
        self.postgres = connection.vendor == "postgresql"

    def add(self, *values) -> None:
        self.rows.append(values)
        if len(self.rows) >= self.chunk_rows:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        with connection.cursor() as cursor:
            if self.postgres:
                buffer = io.StringIO()
                for row in self.rows:
                    buffer.write("\t".join(_copy_text(v) for v in row))
                    buffer.write("\n")
                buffer.seek(0)
                cursor.copy_expert(f'COPY "{self.table}" ({", ".join(self.columns)}) FROM STDIN', buffer)
            else:
                adapt = connection.ops.adapt_datetimefield_value
                rows = [tuple(adapt(v) if isinstance(v, datetime) else v for v in row) for row in self.rows]
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f'INSERT INTO "{self.table}" ({", ".join(self.columns)}) VALUES ({marks})', rows)
        self.written += len(self.rows)
        self.rows = []


def next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{model._meta.db_table}"')
        return cursor.fetchone()[0] + 1


def reset_sequences(*models) -> None:
    """After inserting explicit ids, let the database's own ids continue after them."""
    sql = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)
