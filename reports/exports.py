"""Report files: XLSX (openpyxl) and CSV (UTF-8 with BOM, so Excel opens Chinese correctly),
with Chinese column headers. Phones are masked unless the user may see personal data; every
text cell goes through spreadsheet_safe, so a name like "=HYPERLINK(…)" stays text."""

from __future__ import annotations

import csv
import io
from fractions import Fraction

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from casework.personal_data import mask_phone
from casework.tabular import spreadsheet_safe

from .monthly import MonthlyReport, UnitFigures

DASH = "—"

UNIT_COLUMNS = [
    ("单位编码", lambda u: u.code),
    ("责任单位", lambda u: u.name if u.unit_id is not None else "未派工"),
    ("投诉量N", lambda u: u.n),
    ("联系不上U", lambda u: u.unreachable),
    ("24小时联系率", lambda u: u.contact_rate),
    ("回复及时率", lambda u: u.reply_rate),
    ("虚假回复数量", lambda u: u.false_replies),
    ("一次闭环率", lambda u: u.one_time_rate),
    ("月度闭环率", lambda u: u.closure_rate),
    ("处理满意率", lambda u: u.satisfaction_rate),
    ("限值考核投诉量", lambda u: u.limited_n),
    ("抱怨量限值", lambda u: u.limit or DASH),
    ("是否超限", lambda u: "是" if u.over_limit else "否"),
    ("网络抱怨未闭环", lambda u: u.forum_open),
    ("帮扶资格", lambda u: "符合" if u.qualifies_for_support else "不符合"),
    ("不符合原因", lambda u: "；".join(u.support_refusals)),
]
TOTAL_COLUMNS = UNIT_COLUMNS[:11]

CASE_COLUMNS = ["投诉编号", "受理时间", "客户", "客户电话", "责任单位", "类别", "状态", "闭环时间", "原因"]


def percent(value) -> str:
    return DASH if value is None else f"{float(value) * 100:.1f}%"


def unit_rows(report: MonthlyReport) -> list[list]:
    rows = [[get(u) for _, get in UNIT_COLUMNS] for u in report.units]
    total: UnitFigures = report.total
    figures = [get(total) for _, get in TOTAL_COLUMNS[2:]]
    rows.append(["", "合计", *figures] + [""] * (len(UNIT_COLUMNS) - len(TOTAL_COLUMNS)))
    return rows


def case_rows(complaints, *, unmasked: bool) -> list[list]:
    def when(moment):
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""

    return [
        [c.number, when(c.received_at), c.customer.name,
         c.customer.phone if unmasked else mask_phone(c.customer.phone),
         c.responsible_unit.name if c.responsible_unit else "", c.get_category_display(), c.get_state_display(),
         when(c.closed_at), c.closure_reason]
        for c in complaints
    ]


def monthly_report_csv(report: MonthlyReport) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([f"{report.month} 月度闭环报表"])
    writer.writerow([title for title, _ in UNIT_COLUMNS])
    for row in unit_rows(report):
        writer.writerow([percent(v) if isinstance(v, Fraction) or (v is None) else spreadsheet_safe(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def monthly_report_xlsx(report: MonthlyReport, *, unmasked: bool = False) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "月度闭环"
    sheet.append([f"{report.month} 月度闭环报表"])
    sheet.append([title for title, _ in UNIT_COLUMNS])
    for row in unit_rows(report):
        sheet.append([float(v) if isinstance(v, Fraction) else (DASH if v is None else spreadsheet_safe(v))
                      for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, float):
                cell.number_format = "0.0%"
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for title, complaints in (("强制关闭清单", report.forced_closures),
                              ("超三个月未闭环", report.open_over_three_months)):
        extra = book.create_sheet(title)
        extra.append(CASE_COLUMNS)
        for cell in extra[1]:
            cell.font = Font(bold=True)
        for row in case_rows(complaints, unmasked=unmasked):
            extra.append([spreadsheet_safe(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_filename(report: MonthlyReport, extension: str) -> str:
    return f"closeloop-monthly-{report.month}.{extension}"
