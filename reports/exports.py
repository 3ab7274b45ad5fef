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

from .monthly import CaseRow, MonthlyReport, RepairFigures, UnitFigures

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
    ("当月网络抱怨量", lambda u: u.forum_n),
    ("上月结转网络抱怨", lambda u: u.carried_forum),
    ("结转当月闭环", lambda u: u.carried_forum_closed),
    ("论坛负面信息关闭率", lambda u: u.forum_closure_rate),
    ("负面媒体曝光", lambda u: u.media_exposures),
    ("过渡/暂停服务", lambda u: "是" if (u.suspended or u.in_transition) else "否"),
]
TOTAL_COLUMNS = UNIT_COLUMNS[:11]

REPAIR_COLUMNS = [
    ("单位编码", lambda r: r.code),
    ("责任单位", lambda r: r.name if r.unit_id is not None else ("合计" if r.is_total else "未派工")),
    ("报修量", lambda r: r.n),
    ("24小时联系客户率", lambda r: r.contact_rate),
    ("回复及时率", lambda r: r.reply_rate),
    ("联系不上", lambda r: r.unreachable),
    ("闭环率", lambda r: r.closure_rate),
]

CASE_COLUMNS = ["投诉编号", "受理时间", "客户", "客户电话", "责任单位", "类别", "状态", "闭环时间", "原因"]


def percent(value) -> str:
    return DASH if value is None else f"{float(value) * 100:.1f}%"


def unit_rows(report: MonthlyReport) -> list[list]:
    rows = [[get(u) for _, get in UNIT_COLUMNS] for u in report.units]
    total: UnitFigures = report.total
    figures = [get(total) for _, get in TOTAL_COLUMNS[2:]]
    rows.append(["", "合计", *figures] + [""] * (len(UNIT_COLUMNS) - len(TOTAL_COLUMNS)))
    return rows


def repair_rows(report: MonthlyReport) -> list[list]:
    figures: list[RepairFigures] = [*report.repairs, report.repair_total]
    return [[get(r) for _, get in REPAIR_COLUMNS] for r in figures]


def version_note(report: MonthlyReport) -> str:
    if report.version is None:
        return "（当月进行中，实时计算）"
    return f"（第{report.version}版，计算于 {timezone.localtime(report.computed_at):%Y-%m-%d %H:%M}）"


def title(report: MonthlyReport) -> str:
    return f"{report.month} 月度闭环报表{version_note(report)}"


def case_rows(complaints: list[CaseRow], *, unmasked: bool) -> list[list]:
    def when(moment):
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""

    return [
        [c.number, when(c.received_at), c.customer_name,
         c.customer_phone if unmasked else mask_phone(c.customer_phone),
         c.unit_name, c.category_label, c.state_label, when(c.closed_at), c.closure_reason]
        for c in complaints
    ]


def _csv_cell(value):
    return percent(value) if isinstance(value, Fraction) or (value is None) else spreadsheet_safe(value)


def _xlsx_cell(value):
    return float(value) if isinstance(value, Fraction) else (DASH if value is None else spreadsheet_safe(value))


def monthly_report_csv(report: MonthlyReport) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([title(report)])
    writer.writerow([name for name, _ in UNIT_COLUMNS])
    for row in unit_rows(report):
        writer.writerow([_csv_cell(v) for v in row])
    writer.writerow([])
    writer.writerow(["报修"])
    writer.writerow([name for name, _ in REPAIR_COLUMNS])
    for row in repair_rows(report):
        writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def monthly_report_xlsx(report: MonthlyReport, *, unmasked: bool = False) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "月度闭环"
    sheet.append([title(report)])
    _append_table(sheet, [name for name, _ in UNIT_COLUMNS], unit_rows(report))
    _append_table(book.create_sheet("报修"), [name for name, _ in REPAIR_COLUMNS], repair_rows(report))
    for sheet_name, complaints in (("强制关闭清单", report.forced_closures),
                                   ("超三个月未闭环", report.open_over_three_months)):
        extra = book.create_sheet(sheet_name)
        extra.append(CASE_COLUMNS)
        for cell in extra[1]:
            cell.font = Font(bold=True)
        for row in case_rows(complaints, unmasked=unmasked):
            extra.append([spreadsheet_safe(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _append_table(sheet, headers: list[str], rows: list[list]) -> None:
    sheet.append(headers)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, float):
                cell.number_format = "0.0%"


def report_filename(report: MonthlyReport, extension: str) -> str:
    return f"closeloop-monthly-{report.month}.{extension}"
