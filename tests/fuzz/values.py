"""What a person (or a script) might type or send: hypothesis strategies for field values, query
parameters and uploaded files, and the fixed boundary values every field is tried with."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from django.utils import timezone
from hypothesis import strategies as st

from casework.importing import IMPORTERS

from .pages import Field

LONG = 100_000
# Python's csv module refuses a field longer than this (csv.field_size_limit()).
CSV_FIELD_LIMIT = 131_072

# Dates and periods at the edges of what Python, the database and the report periods can hold.
EDGE_DATES = ["0001-01-01", "9999-12-31", "0000-00-00", "2026-02-30", "-2026-01-01"]
EDGE_DATETIMES = ["0001-01-01T00:00", "9999-12-31T23:59", "0001-01-01 00:00:00", "9999-12-31 23:59:59",
                  "2026-10-08T25:61"]
EDGE_PERIODS = ["0000-Q1", "9999-Q4", "2026-Q5", "2026-Q0", "0000-H1", "9999-H2", "2026-H3", "2026-13", "2026-00",
                "0000-01", "9999-12", "0", "9999", "10000"]
EDGE_NUMBERS = ["0", "-1", "-0", "1.5", "1e308", "-1e308", "NaN", "inf", "99999999999999999999999999999",
                "-99999999999999999999", "2147483648", "9223372036854775808", "0x10", "١٢٣", "1_000", "1,5"]
EDGE_TEXT = ["", " ", "\t\r\n", "\x00", "a\x00b", "%00", "' OR 1=1 --", "\"; DROP TABLE complaints; --",
             "<script>alert(1)</script>", "{{ 7*7 }}", "../../etc/passwd", "\u202e\u200b", "🙂", "投诉",
             "None", "null", "[]", "__all__"]
EDGE_VALUES = EDGE_TEXT + EDGE_NUMBERS + EDGE_DATES + EDGE_DATETIMES + EDGE_PERIODS

# Any unicode a browser can send: everything but lone surrogates (no UTF-8 for them), NUL included.
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
long_text = st.sampled_from(["x", "投", "\x00", "9", " "]).map(lambda c: c * LONG)
numbers = st.one_of(st.integers().map(str), st.floats().map(repr), st.decimals(allow_nan=True).map(str))
dates = st.one_of(st.dates().map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}"),
                  st.datetimes().map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}T{d:%H:%M}"))
periods = st.builds(lambda y, sep, n: f"{y:04d}-{sep}{n}", st.integers(0, 9999), st.sampled_from(["Q", "H", ""]),
                    st.integers(0, 13))
edge_values = st.sampled_from(EDGE_VALUES)
nasty = st.one_of(edge_values, edge_values, any_text, numbers, dates, periods, long_text)

FILE_NAMES = ["a.csv", "客户.CSV", "a.xlsx", "a.pdf", "a.jpg", "a.png", "a.exe", "a", ".csv", "a.csv.exe",
              "x" * 300 + ".pdf", "a b;c\".pdf"]


def csv_file(header: list[str], rows: list[list[str]], encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


def importer_headers() -> list[list[str]]:
    """The column names every registered importer knows, so generated tables get past the header check."""
    return [list(importer.columns) for importer in IMPORTERS.values()]


@st.composite
def csv_tables(draw) -> bytes:
    """A table an importer recognises, with cells from anywhere (a cell past the csv module's limit too)."""
    header = draw(st.sampled_from(importer_headers()))
    cell = st.one_of(st.sampled_from(EDGE_VALUES), any_text, st.just("y" * (CSV_FIELD_LIMIT + 1)))
    rows = draw(st.lists(st.lists(cell, min_size=len(header), max_size=len(header)), min_size=0, max_size=3))
    return csv_file(header, rows, encoding=draw(st.sampled_from(["utf-8", "utf-8-sig", "gbk", "utf-16"])))


uploads = st.tuples(st.sampled_from(FILE_NAMES),
                    st.one_of(st.binary(max_size=512), csv_tables(),
                              st.just(b"PK\x03\x04 not really a zip"), st.just(b"%PDF-1.4 scan")))


def plausible(field) -> st.SearchStrategy:
    """A value this field would get from a person filling the form in properly."""
    now = timezone.localtime()
    if field.kind == "select":
        options = [o for o in field.options if o] or field.options or [""]
        return st.sampled_from(sorted(set(options), key=options.index))
    if field.kind in ("hidden", "submit") or (field.value.strip() and field.kind not in ("checkbox", "radio", "file")):
        return st.just(field.value)
    if field.kind in ("checkbox", "radio"):
        return st.sampled_from([*field.options, ""])
    if field.kind == "file":
        return st.sampled_from([("现场照片.jpg", b"\xff\xd8\xff\xe0 photo"), ("scan.pdf", b"%PDF-1.4 scan")])
    if field.kind == "date":
        return st.integers(-30, 30).map(lambda d: (now + timedelta(days=d)).strftime("%Y-%m-%d"))
    if field.kind == "datetime-local":
        return st.integers(1, 600).map(lambda m: (now - timedelta(minutes=m)).strftime("%Y-%m-%dT%H:%M"))
    if field.kind == "time":
        return st.sampled_from(["09:30", "00:00", "23:59"])
    if field.kind == "number":
        return st.integers(0, 1000).map(str)
    if field.kind == "email":
        return st.just("zhang.wei@example.com")
    if field.kind == "tel" or "phone" in field.name:
        return st.sampled_from(["13812345678", "010-12345678"])
    return st.sampled_from(["测试", "客户反映接待态度差", "ok"])


def plausible_value(field):
    """The one value a careful person would send: what the page shows, else something valid-looking."""
    now = timezone.localtime()
    if field.kind == "select":
        return field.value or next((o for o in field.options if o), "")
    if field.kind in ("checkbox", "radio"):
        return field.value
    if field.value.strip() or field.kind in ("hidden", "submit"):
        return field.value
    if field.kind == "file":
        return ("scan.pdf", b"%PDF-1.4 scan")
    if field.kind == "date":
        return (now + timedelta(days=7)).strftime("%Y-%m-%d")
    if field.kind == "datetime-local":
        return (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    if field.kind == "time":
        return "09:30"
    if field.kind == "number":
        return "1"
    if field.kind == "email":
        return "zhang.wei@example.com"
    if field.kind == "tel" or "phone" in field.name:
        return "13812345678"
    return "测试"


def hostile(field) -> st.SearchStrategy:
    """A value nobody should send, shaped like the field where that makes it more dangerous."""
    if field.kind == "file":
        return uploads
    if field.kind in ("date", "datetime-local", "time"):
        return st.one_of(st.sampled_from(EDGE_DATES + EDGE_DATETIMES), dates, nasty)
    if field.kind == "number":
        return st.one_of(st.sampled_from(EDGE_NUMBERS), numbers, nasty)
    return nasty


TEXT_KINDS = {"text", "textarea", "email", "tel", "url", "search", "password"}
TEXT = Field("any text", "text")


def edges(field) -> list:
    """The few values every field is tried with, one field at a time, before any random example."""
    if field.kind == "file":
        return [("big-cell.csv", csv_file(h, [["y" * (CSV_FIELD_LIMIT + 1)] * len(h)])) for h in importer_headers()] + [
            ("a.xlsx", b"PK\x03\x04 not really a zip"), ("a.exe", b"MZ")]
    if field.kind == "date":
        return ["0001-01-01", "9999-12-31"]
    if field.kind == "datetime-local":
        return ["0001-01-01T00:00", "9999-12-31T23:59"]
    if field.kind == "number":
        return ["99999999999999999999", "-1"]
    if field.kind == "time":
        return ["24:00"]
    if field.kind in ("select", "checkbox", "radio", "submit"):
        return ["\x00"]
    if field.kind == "hidden":
        return ["\x00", "99999999999999999999"]
    return ["\x00", "x" * LONG]


PERIOD_SHAPES = [  # (what an observed value looks like, the edges of that shape)
    (re.compile(r"^\d{4}-Q\d$"), ["0000-Q1", "9999-Q4"]),
    (re.compile(r"^\d{4}-H\d$"), ["0000-H1", "9999-H2"]),
    (re.compile(r"^\d{4}-\d{2}$"), ["0000-01", "9999-12", "2026-13"]),
    (re.compile(r"^\d{4}-\d{2}-\d{2}"), ["0001-01-01", "9999-12-31"]),
    (re.compile(r"^-?\d+$"), ["-1", "99999999999999999999"]),
]


def query_edges(observed: list[str], typed: bool) -> list[str]:
    """Edges for one query parameter, from the values the pages themselves put in it;
    100k characters only where a person types (a search box): elsewhere NUL says as much."""
    found = ["\x00", "x" * LONG] if typed else ["\x00"]
    for shape, values in PERIOD_SHAPES:
        if any(shape.match(v) for v in observed):
            return found + values
    return found
