"""The monthly report page and the XLSX a manager downloads from it say the same thing, cell for
cell, in Chinese and in English: every table of the page is a sheet of the file, read back the
way a spreadsheet shows it (a rate under its "0.0%" format). The month is the one with every
outcome the loop knows (test_month_every_outcome), with its forum, repair and forced-closure
cases from the October scene beside it."""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser

import pytest
from django.conf import settings
from openpyxl import load_workbook

from .scene import october
from .test_month_every_outcome import month  # noqa: F401  (the fixture)

URL = "/reports/monthly/?month=2026-10"
EXPORT = "/reports/monthly/export/?month=2026-10&format=xlsx"


class Tables(HTMLParser):
    """Each <table data-table=…> of a page as rows of cell texts (whitespace collapsed), with the
    title of every <abbr> in its header and the legend under it."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.notes: dict[str, dict[str, str]] = {}
        self.legends: dict[str, dict[str, str]] = {}
        self._table = self._row = self._cell = None
        self._abbr = None
        self._legend = self._term = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-table" in attrs:
            self._table = attrs["data-table"]
            self.tables[self._table], self.notes[self._table] = [], {}
        elif self._table and tag == "tr":
            self._row = []
        elif self._table and tag in ("td", "th"):
            self._cell, self._text = True, []
        elif self._table and tag == "abbr":
            self._abbr = attrs.get("title")
        elif tag == "dl" and "data-legend" in attrs:
            self._legend = attrs["data-legend"]
            self.legends[self._legend] = {}
        elif self._legend and tag in ("dt", "dd"):
            self._text = []

    def handle_endtag(self, tag):
        text = " ".join("".join(self._text).split())
        if self._table and tag in ("td", "th") and self._cell:
            self._row.append(text)
            if self._abbr:
                self.notes[self._table][text] = self._abbr
            self._cell, self._abbr = None, None
        elif self._table and tag == "tr":
            self.tables[self._table].append(self._row)
        elif tag == "table":
            self._table = None
        elif self._legend and tag == "dt":
            self._term = text
        elif self._legend and tag == "dd":
            self.legends[self._legend][self._term] = text
        elif tag == "dl":
            self._legend = None

    def handle_data(self, data):
        self._text.append(data)


def shown(cell) -> str:
    """A cell as a spreadsheet displays it."""
    value = cell.value
    if value is None:
        return ""
    if cell.number_format == "0.0%":
        points = (Decimal(repr(value)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return f"{points}%"
    return " ".join(str(value).split())


def trimmed(texts: list[str]) -> list[str]:
    """A row without its blank cells at the end (a total row leaves the verdict columns empty)."""
    while texts and texts[-1] == "":
        texts = texts[:-1]
    return texts


def sheet_rows(sheet) -> list[list[str]]:
    """From the header (row 2, under the title) down."""
    return [trimmed([shown(c) for c in row]) for row in sheet.iter_rows(min_row=2)]


def page_and_file(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(URL)
    assert page.status_code == 200
    tables = Tables()
    tables.feed(page.content.decode())
    download = client.get(EXPORT)
    assert download.status_code == 200
    return tables, load_workbook(io.BytesIO(download.content))


@pytest.fixture
def full_month(month, agent):  # noqa: F811
    october(agent)  # forum complaints, a repair request, forced closures, a case open for months


@pytest.fixture
def scene(agent):
    """The smaller October (tests/reports/scene.py): a unit over its limit, an undispatched complaint."""
    return october(agent)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_cell_of_the_page_is_the_same_cell_of_the_file(full_month, manager_client, language):
    tables, book = page_and_file(manager_client, language)
    assert list(tables.tables) == ["kpis", "forum", "repairs", "forced", "open_long"]
    sheets = book.sheetnames[:5]
    for key, sheet_name in zip(tables.tables, sheets, strict=True):
        page_rows = [trimmed(r) for r in tables.tables[key]]
        assert sheet_rows(book[sheet_name]) == page_rows, key
        assert len(page_rows) > 1, key  # every table of this month has something in it


@pytest.mark.parametrize("language, total, dispatched, no_verdict", [
    ("zh-hans", "合计", "尚未派工", "—"), ("en", "Total", "Not yet dispatched", "—")])
def test_the_rows_that_used_to_disagree(scene, manager_client, language, total, dispatched, no_verdict):
    """是否超限 was "—" on the page and "否" in the file; the undispatched row had a support verdict
    in the file only. Now both say "—" where there is nothing to judge, in both places."""
    tables, book = page_and_file(manager_client, language)
    header, *rows = tables.tables["kpis"]
    over, support = len(header) - 3, len(header) - 2
    undispatched = next(r for r in rows if r[1] == dispatched)
    assert undispatched[over] == no_verdict and undispatched[support] == no_verdict
    file_undispatched = next(r for r in sheet_rows(book.worksheets[0]) if r[1] == dispatched)
    assert file_undispatched[over] == file_undispatched[support] == no_verdict
    assert rows[-1][1] == total
    # Every unit with a limit has a verdict on it (yes or no), one without shows "—".
    assert {r[over] for r in rows if r[0] not in ("—", "")} <= {"是", "否", "Yes", "No", "—"}


def test_n_and_u_explain_themselves_on_the_page_and_in_the_file(scene, manager_client):
    tables, book = page_and_file(manager_client, "en")
    header = tables.tables["kpis"][0]
    assert header[2] == "Complaints (N)" and header[3] == "Unreachable (U)"
    n_note, u_note = tables.notes["kpis"]["Complaints (N)"], tables.notes["kpis"]["Unreachable (U)"]
    assert "first dispatched" in n_note and "could not be reached" in u_note
    # The legend under the table says the same as the headers' tooltips.
    assert tables.legends["kpis"]["Complaints (N)"] == n_note
    assert tables.legends["kpis"]["Unreachable (U)"] == u_note
    sheet = book.worksheets[0]
    assert sheet["C2"].comment.text == n_note and sheet["D2"].comment.text == u_note
    notes = {r[0]: r[1] for r in book["Note"].iter_rows(min_row=2, values_only=True)}
    assert notes["Complaints (N)"] == n_note and notes["Unreachable (U)"] == u_note
    assert "Repair requests (N)" in notes


def test_the_file_has_column_widths_and_a_frozen_header(scene, manager_client):
    _, book = page_and_file(manager_client, "zh-hans")
    for sheet in book.worksheets[:3]:  # the unit tables: the header row and the unit's code and name
        assert sheet.freeze_panes == "C3", sheet.title
        assert sheet.column_dimensions["B"].width >= 20  # a unit's name
        assert all(sheet.column_dimensions[c].width >= 8 for c in "ABCDEFG")
    for sheet in book.worksheets[3:5]:  # the case lists: the header row and the case's number
        assert sheet.freeze_panes == "B3", sheet.title
        assert sheet.column_dimensions["A"].width >= 16  # TS202610-000001
    assert book.worksheets[-1].freeze_panes == "A2"
