"""Reading the tables other hotline systems export: CSV (UTF-8, or GBK as Excel writes it
in China) and XLSX. Returns rows as {field: text}, headers matched by field name or alias.
And the one rule for the tables we write: no cell a customer typed may become a formula."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import date, datetime

from django.utils.translation import gettext as _
from openpyxl import load_workbook

MAX_ROWS = 200_000


class TableError(ValueError):
    """The file as a whole cannot be read (wrong type, encoding, headers)."""


class Table:
    """A readable table: the header is checked at once; rows are read lazily, as often as asked,
    so a 100,000-row file can be validated and then written without holding every row."""

    def __init__(self, raw: bytes, filename: str, columns: dict[str, list[str]]):
        self.raw, self.filename = raw, filename
        if filename.lower().endswith(".csv"):
            self._encoding = _encoding(raw)  # fail early for a wrong encoding
        lookup = {alias.strip().lower(): field for field, aliases in columns.items() for alias in [field, *aliases]}
        header = next(self._raw_rows(), None)
        if not header or not any(str(h).strip() for h in header):
            raise TableError(_("The file is empty: the first line must name the columns."))
        self.headers = [str(h) for h in header]
        self.fields = [lookup.get(h.strip().lower()) for h in self.headers]
        known = [f for f in self.fields if f]
        if len(set(known)) != len(known):
            raise TableError(_("A column appears twice in the header."))
        if not known:
            raise TableError(_("None of the columns is known. Expected: %(columns)s")
                             % {"columns": ", ".join(columns)})
        if next(self.rows(), None) is None:
            raise TableError(_("The file has a header but no rows."))

    def _raw_rows(self):
        if self.filename.lower().endswith(".csv"):
            # Decoded as read: neither the whole text nor a StringIO copy of it (4 bytes a character)
            # is held, so memory does not grow with the file beyond its own bytes.
            reader = csv.reader(io.TextIOWrapper(io.BytesIO(self.raw), encoding=self._encoding, newline=""))
            try:
                yield from reader
            except csv.Error:  # a cell over csv's 131,072-character limit, or a quote never closed
                raise TableError(_("Line %(line)d cannot be read: a cell is longer than %(n)d characters "
                                   "or a quotation mark is not closed.")
                                 % {"line": reader.line_num, "n": csv.field_size_limit()}) from None
        else:
            yield from _raw_rows(self.raw, self.filename)

    def rows(self):
        """(line number, {field: text}) for each non-blank row."""
        count = 0
        rows = self._raw_rows()
        next(rows, None)
        for line, values in enumerate(rows, start=2):
            if not any(str(v).strip() for v in values):
                continue  # blank lines Excel leaves at the end
            count += 1
            if count > MAX_ROWS:
                raise TableError(_("More than %(n)d rows: split the file.") % {"n": MAX_ROWS})
            yield line, {f: (str(values[i]).strip() if i < len(values) else "") for i, f in enumerate(self.fields) if f}


DECODE_CHUNK = 1 << 20


def _encoding(raw: bytes) -> str:
    """The file's encoding, checked over the whole file a megabyte at a time, keeping nothing."""
    for encoding in ("utf-8-sig", "gb18030"):  # gb18030 reads GBK and GB2312 too
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(raw), DECODE_CHUNK):
                decoder.decode(raw[start:start + DECODE_CHUNK])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
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
    if filename.lower().endswith(".xlsx"):
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
    if not filename.lower().endswith((".csv", ".xlsx")):
        raise TableError(_("Upload a .csv or .xlsx file."))
    return Table(raw, filename, columns)


# What makes Excel or LibreOffice read a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A text cell that cannot run as a formula: a leading apostrophe, as a person typing it into
    Excel would write, in front of anything that starts like one. Numbers and dates are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
