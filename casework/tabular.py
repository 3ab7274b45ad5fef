"""Reading the tables other hotline systems export: CSV (UTF-8, or GBK as Excel writes it
in China) and XLSX. Returns rows as {field: text}, headers matched by field name or alias."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _
from openpyxl import load_workbook

MAX_ROWS = 200_000


class TableError(ValueError):
    """The file as a whole cannot be read (wrong type, encoding, headers)."""


@dataclass
class Table:
    headers: list[str]
    rows: list[dict[str, str]]  # keyed by field name, in file order; line numbers are index + 2


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # gb18030 reads GBK and GB2312 too
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError(_("The file is neither UTF-8 nor GBK text."))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _raw_rows(raw: bytes, filename: str):
    name = filename.lower()
    if name.endswith(".csv"):
        yield from csv.reader(io.StringIO(_decode(raw)))
    elif name.endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 — openpyxl raises many kinds for a damaged file
            raise TableError(_("The file is not a readable XLSX workbook.")) from None
        for row in book.worksheets[0].iter_rows(values_only=True):
            yield [_cell(v) for v in row]
    else:
        raise TableError(_("Upload a .csv or .xlsx file."))


def read_table(raw: bytes, filename: str, *, columns: dict[str, list[str]]) -> Table:
    """`columns` maps each field to the header texts that name it (its own name first)."""
    lookup = {alias.strip().lower(): field for field, aliases in columns.items() for alias in [field, *aliases]}
    rows_iter = _raw_rows(raw, filename)
    header = next(rows_iter, None)
    if not header or not any(h.strip() for h in header):
        raise TableError(_("The file is empty: the first line must name the columns."))
    fields = [lookup.get(h.strip().lower()) for h in header]
    known = [f for f in fields if f]
    if len(set(known)) != len(known):
        raise TableError(_("A column appears twice in the header."))
    if not known:
        raise TableError(_("None of the columns is known. Expected: %(columns)s")
                         % {"columns": ", ".join(columns)})
    rows = []
    for values in rows_iter:
        if not any(str(v).strip() for v in values):
            continue  # blank lines Excel leaves at the end
        rows.append({f: (values[i].strip() if i < len(values) else "") for i, f in enumerate(fields) if f})
        if len(rows) > MAX_ROWS:
            raise TableError(_("More than %(n)d rows: split the file.") % {"n": MAX_ROWS})
    if not rows:
        raise TableError(_("The file has a header but no rows."))
    return Table(headers=[h for h in header], rows=rows)
