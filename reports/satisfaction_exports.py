"""The quarterly satisfaction report and the half-year survey analysis as files, with the monthly
report's conventions (reports/exports.py): XLSX (openpyxl) and CSV (UTF-8 with BOM), Chinese
column headers whatever the page language, every text cell through spreadsheet_safe, rates as
percentages ("—" where undefined). The index (0–100) is a number with one decimal. No personal
data: the figures name units, tiers, campaigns and questions, never a customer."""

from __future__ import annotations

import csv
import io
from fractions import Fraction

from openpyxl import Workbook
from openpyxl.styles import Font

from casework.tabular import spreadsheet_safe

from .exports import DASH, percent
from .satisfaction import (
    RESPONSE_TARGET,
    CampaignResponse,
    Comparison,
    HalfYearAnalysis,
    IndexFigures,
    SatisfactionReport,
)

TIERS_ZH = {"key": "重点客户", "ordinary": "普通客户", "potential": "潜在客户"}


class Index(Fraction):
    """An index or index points (0–100): a number with one decimal, not a percentage."""


class Mean(Fraction):
    """A mean score (1–5): two decimals."""


def _index(value):
    return None if value is None else Index(value)


def _mean(value):
    return None if value is None else Mean(value)


INDEX_COLUMNS = [
    ("答卷数", lambda r: r.surveys),
    ("评分题答案数", lambda r: r.answers),
    ("平均分(1–5)", lambda r: _mean(r.mean)),
    ("满意度指数", lambda r: _index(r.index)),
]
CAMPAIGN_COLUMNS = [
    ("调查活动", lambda c: c.name),
    ("调查期间", lambda c: c.period),
    ("计划中", lambda c: c.planned),
    ("已发出", lambda c: c.sent),
    ("待答复", lambda c: c.awaiting),
    ("已回收", lambda c: c.answered),
    ("已过期", lambda c: c.expired),
    ("联系不上", lambda c: c.unreachable),
    ("回收率", lambda c: c.rate),
    (f"是否达到{int(RESPONSE_TARGET * 100)}%", lambda c: DASH if c.meets_target is None else
     ("是" if c.meets_target else "否")),
]
QUESTION_COLUMNS = [
    ("问卷", lambda q: q.template),
    ("版本", lambda q: q.version),
    ("题号", lambda q: q.position),
    ("题目", lambda q: q.text_zh),
    *[(f"{s}分", lambda q, s=s: q.counts.get(s, 0)) for s in range(1, 6)],
    *[(f"{s}分占比", lambda q, s=s: q.distribution[s - 1][2]) for s in range(1, 6)],
    ("答案数", lambda q: q.answers),
    ("平均分(1–5)", lambda q: _mean(q.mean)),
    ("满意度指数", lambda q: _index(q.index)),
]
COMPARISON_COLUMNS = [
    ("本半年答卷数", lambda c: c.current.surveys if c.current else 0),
    ("本半年满意度指数", lambda c: _index(c.current.index if c.current else None)),
    ("上半年答卷数", lambda c: c.previous.surveys if c.previous else 0),
    ("上半年满意度指数", lambda c: _index(c.previous.index if c.previous else None)),
    ("变化(点)", lambda c: _index(c.change)),
]


def _unit_label(row) -> str:
    return row.label if row.key is not None else "未指定单位"


def _tier_label(row) -> str:
    return TIERS_ZH.get(row.key, row.key) if row.key is not None else "全部"


def _tables(report: SatisfactionReport) -> list[tuple[str, list[str], list[list]]]:
    """(sheet name, headers, rows) of one period's report."""
    def index_rows(rows: list[IndexFigures], first):
        return [[*first(r), *[get(r) for _, get in INDEX_COLUMNS]] for r in rows]

    total = report.total
    return [
        ("满意度指数-单位", ["单位编码", "被评价单位", *[h for h, _ in INDEX_COLUMNS]],
         index_rows(report.by_unit, lambda r: [r.code, _unit_label(r)])
         + [["", "合计", *[get(total) for _, get in INDEX_COLUMNS]]]),
        ("满意度指数-客户类型", ["客户类型", *[h for h, _ in INDEX_COLUMNS]],
         index_rows(report.by_tier, lambda r: [_tier_label(r)])
         + [["合计", *[get(total) for _, get in INDEX_COLUMNS]]]),
        ("满意度指数-月份", ["月份", *[h for h, _ in INDEX_COLUMNS]],
         index_rows(report.by_month, lambda r: [r.label])),
        ("回收率", [h for h, _ in CAMPAIGN_COLUMNS],
         [[get(c) for _, get in CAMPAIGN_COLUMNS] for c in [*report.campaigns, _named_total(report.campaign_total)]]),
        ("题目得分分布", [h for h, _ in QUESTION_COLUMNS],
         [[get(q) for _, get in QUESTION_COLUMNS] for q in report.questions]),
        ("得分最低题目", [h for h, _ in QUESTION_COLUMNS],
         [[get(q) for _, get in QUESTION_COLUMNS] for q in report.lowest_questions]),
    ]


def _named_total(total: CampaignResponse) -> CampaignResponse:
    total.name, total.period = "合计", ""
    return total


def _comparison_tables(analysis: HalfYearAnalysis) -> list[tuple[str, list[str], list[list]]]:
    def rows(items: list[Comparison], label):
        return [[label(c), *[get(c) for _, get in COMPARISON_COLUMNS]] for c in items]

    current, previous = analysis.current.campaign_total.rate, analysis.previous.campaign_total.rate
    return [
        ("与上半年比较", ["单位/客户类型", *[h for h, _ in COMPARISON_COLUMNS]],
         rows(analysis.by_unit, lambda c: _unit_label(c.current or c.previous))
         + rows(analysis.by_tier, lambda c: _tier_label(c.current or c.previous))
         + rows([analysis.total], lambda c: "合计")
         + [["回收率", "", current, "", previous, analysis.response_change]]),
    ]


def _title(report: SatisfactionReport, kind: str) -> str:
    return f"{report.period} {kind}（满意度指数 = (平均分 − 1) ÷ 4 × 100；回收率 = 已回收 ÷ 已发出，目标85%）"


def _csv_cell(value):
    if isinstance(value, Index):
        return f"{float(value):.1f}"
    if isinstance(value, Mean):
        return f"{float(value):.2f}"
    if isinstance(value, Fraction) or value is None:
        return percent(value)
    return spreadsheet_safe(value)


def _xlsx_cell(value):
    if isinstance(value, Fraction):
        return float(value)
    return DASH if value is None else spreadsheet_safe(value)


def _number_format(value) -> str | None:
    if isinstance(value, Index):
        return "0.0"
    if isinstance(value, Mean):
        return "0.00"
    return "0.0%" if isinstance(value, Fraction) else None


def _csv(title: str, tables) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([spreadsheet_safe(title)])
    for name, headers, rows in tables:
        writer.writerow([])
        writer.writerow([name])
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(title: str, tables) -> bytes:
    book = Workbook()
    first = True
    for name, headers, rows in tables:
        sheet = book.active if first else book.create_sheet(name)
        sheet.title = name
        if first:
            sheet.append([spreadsheet_safe(title)])
            first = False
        sheet.append(headers)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_xlsx_cell(v) for v in row])
            for cell, value in zip(sheet[sheet.max_row], row, strict=False):
                number_format = _number_format(value)
                if number_format:
                    cell.number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def quarterly_satisfaction_files(report: SatisfactionReport, extension: str) -> tuple[bytes, str]:
    title, tables = _title(report, "季度客户满意度报告"), _tables(report)
    content = _csv(title, tables) if extension == "csv" else _xlsx(title, tables)
    return content, f"closeloop-satisfaction-{report.period}.{extension}"


def half_year_satisfaction_files(analysis: HalfYearAnalysis, extension: str) -> tuple[bytes, str]:
    title = _title(analysis.current, f"客户满意度调查分析报告（对比 {analysis.previous.period}）")
    tables = _tables(analysis.current) + _comparison_tables(analysis)
    content = _csv(title, tables) if extension == "csv" else _xlsx(title, tables)
    return content, f"closeloop-satisfaction-{analysis.period}.{extension}"

