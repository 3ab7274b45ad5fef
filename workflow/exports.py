"""A queue as a file (issue 13): the rows the page would list, with the same filters and order, as
CSV (UTF-8 with BOM, so Excel opens Chinese) or XLSX (openpyxl's write-only mode). The rows are read
a chunk at a time with their nearest deadlines (one query a chunk), so memory stays flat; at most
`MAX_ROWS`. Every text cell goes through casework.tabular.spreadsheet_safe, and phones and e-mails
are masked (casework.personal_data) unless the person holds `casework.view_personal_data`."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from casework.personal_data import mask_email, mask_phone
from casework.tabular import spreadsheet_safe
from sla.selectors import attach_next_deadlines

MAX_ROWS = 50_000
CHUNK_ROWS = 2_000
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Column:
    """One exported column: its header and its value of a case (`unmasked`: personal data as stored)."""

    label: Promise | str
    value: Callable[[Any, bool], Any]


def moment(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _phone(case: Any, unmasked: bool) -> str:
    phone: str = case.customer.phone
    return phone if unmasked else mask_phone(phone)


def _email(case: Any, unmasked: bool) -> str:
    email: str = case.customer.email
    return email if unmasked else mask_email(email)


# What every kind's export has; a kind adds its own columns after these.
COMMON_COLUMNS: tuple[Column, ...] = (
    Column(_("Number"), lambda c, m: c.number),
    Column(_("Received at"), lambda c, m: moment(c.received_at)),
    Column(_("Channel"), lambda c, m: c.get_channel_display()),
    Column(_("Category"), lambda c, m: c.get_category_display()),
    Column(_("Subject"), lambda c, m: c.subject),
    Column(_("Customer"), lambda c, m: c.customer.name),
    Column(_("Phone"), _phone),
    Column(_("E-mail"), _email),
    Column(_("Unit"), lambda c, m: c.responsible_unit.name if c.responsible_unit_id else ""),
    Column(_("State"), lambda c, m: c.get_state_display()),
    Column(_("Next deadline"), lambda c, m: moment(c.next_due_at)),
)


def _chunks(queryset: QuerySet[Any]) -> Iterator[list[Any]]:
    """The rows in their order, a chunk at a time, each chunk with its nearest deadlines."""
    chunk: list[Any] = []
    for case in queryset[:MAX_ROWS].iterator(chunk_size=CHUNK_ROWS):
        chunk.append(case)
        if len(chunk) == CHUNK_ROWS:
            yield attach_next_deadlines(chunk)
            chunk = []
    if chunk:
        yield attach_next_deadlines(chunk)


def export_rows(queryset: QuerySet[Any], *, columns: Iterable[Column],
                unmasked: bool) -> Iterator[list[Any]]:
    """The header, then one list of safe cell values a case."""
    columns = list(columns)
    yield [str(c.label) for c in columns]
    for chunk in _chunks(queryset):
        for case in chunk:
            yield [spreadsheet_safe(column.value(case, unmasked)) for column in columns]


class _Echo:
    """csv.writer's file: each row's text is handed straight to the response."""

    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterable[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow(row)


def xlsx_bytes(rows: Iterable[list[Any]], *, title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    for row in rows:
        # Control characters a text may hold are no XML: openpyxl refuses them, so they go.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
