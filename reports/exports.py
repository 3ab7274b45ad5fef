"""Report files: XLSX (openpyxl) and CSV (UTF-8 with BOM, so Excel opens Chinese correctly),
written from the same tables as the page (reports.monthly_tables), with the labels in the active
language (the mail and the command: the site's, Chinese). Phones are masked unless the user may see
personal data; every text cell goes through spreadsheet_safe, so a name like "=HYPERLINK(…)" stays text."""

from __future__ import annotations

import csv
import io
from string import ascii_uppercase

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font

from casework.tabular import spreadsheet_safe

from .monthly import MonthlyReport
from .monthly_tables import PERCENT_FORMAT, Cell, Table, monthly_tables, percent_text

DASH = "—"


def percent(value) -> str:
    """A rate for the satisfaction files (reports.satisfaction_exports); the monthly report's cells
    come from reports.monthly_tables."""
    return percent_text(value)


def version_note(report: MonthlyReport) -> str:
    """The sentence the page says about the version (templates/reports/monthly.html)."""
    if report.version is None:
        return _("This month is not over: computed live.")
    return _("Stored version %(version)s, computed %(computed)s. Later changes to the cases do not change it.") % {
        "version": report.version, "computed": f"{timezone.localtime(report.computed_at):%Y-%m-%d %H:%M}"}


def title(report: MonthlyReport) -> str:
    return f"{report.month} {_('Monthly closed-loop report')} {version_note(report)}"


def _xlsx_cell(cell: Cell):
    if cell.is_rate:
        return float(cell.value)  # type: ignore[arg-type]
    if isinstance(cell.value, int):
        return cell.value
    return spreadsheet_safe(cell.text)


def monthly_report_csv(report: MonthlyReport) -> bytes:
    """The tables one after the other, each under its title, cells as the page shows them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([spreadsheet_safe(title(report))])
    for table in monthly_tables(report):
        writer.writerow([])
        writer.writerow([spreadsheet_safe(table.title)])
        writer.writerow([spreadsheet_safe(c.label) for c in table.columns])
        for row in table.rows + table.footer:
            writer.writerow([spreadsheet_safe(c.text) for c in row])
    return buffer.getvalue().encode("utf-8-sig")


def monthly_report_xlsx(report: MonthlyReport, *, unmasked: bool = False) -> bytes:
    """One sheet per table of the page, cell for cell, and a sheet of notes on the columns."""
    book = Workbook()
    book.remove(book.active)
    notes: dict[str, str] = {}
    for index, table in enumerate(monthly_tables(report, unmasked=unmasked)):
        sheet = book.create_sheet(table.sheet[:31])
        sheet.append([spreadsheet_safe(title(report) if index == 0 else table.title)])
        sheet["A1"].font = Font(bold=True, size=12)
        _append_table(sheet, table)
        for column in table.legend:
            notes.setdefault(column.label, column.note)
    sheet = book.create_sheet(_("Note"))
    sheet.append([_("Column"), _("Meaning")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for label, note in notes.items():
        sheet.append([spreadsheet_safe(label), spreadsheet_safe(note)])
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 100
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _append_table(sheet, table: Table) -> None:
    """Header in row 2 (bold, wrapped, a comment where the column needs explaining), frozen with
    the columns that name the row; each column as wide as the page's content needs."""
    sheet.append([spreadsheet_safe(c.label) for c in table.columns])
    for cell, column in zip(sheet[sheet.max_row], table.columns, strict=True):
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if column.note:
            cell.comment = Comment(column.note, "Closeloop", width=320, height=120)
    for letter, column in zip(ascii_uppercase, table.columns, strict=False):
        sheet.column_dimensions[letter].width = column.width
    sheet.freeze_panes = table.freeze_at
    if not table.rows:
        sheet.append([spreadsheet_safe(table.empty)])
    for row in table.rows + table.footer:
        sheet.append([_xlsx_cell(c) for c in row])
        for cell, value in zip(sheet[sheet.max_row], row, strict=True):
            if value.is_rate:
                cell.number_format = PERCENT_FORMAT
    for cell in sheet[sheet.max_row] if table.footer else ():
        cell.font = Font(bold=True)


def report_filename(report: MonthlyReport, extension: str) -> str:
    return f"closeloop-monthly-{report.month}.{extension}"
