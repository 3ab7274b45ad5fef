"""The monthly report as tables of display values: the one representation that the page
(templates/reports/monthly.html through reports/_table.html) and the files (reports/exports.py:
XLSX and CSV) both render, so a cell cannot read one way on the screen and another in the file.

Every cell carries what the file stores (`value`: a count, a rate as a Fraction, or text) and what
a person reads (`text`). The page prints `text`; the XLSX stores `value` with a number format
under which a spreadsheet displays exactly `text` (rates: "0.0%", rounded half up, as a
spreadsheet rounds); the CSV writes `text`. The labels are in the active language: a person's
page and download in theirs, the monthly mail and the command in the site's (Chinese).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from math import floor

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.personal_data import mask_phone

from .monthly import CaseRow, MonthlyReport, ReceivedFigures, RepairFigures, UnitFigures

DASH = "—"
PERCENT_FORMAT = "0.0%"


def percent_text(value: Fraction | None) -> str:
    """A rate as a spreadsheet shows it under "0.0%": one decimal, half rounded up (5/8 → 62.5%,
    1/16 → 6.3%); a rate with nothing to divide by is "—", never 0%."""
    if value is None:
        return DASH
    tenths = floor(Fraction(value) * 1000 + Fraction(1, 2))
    return f"{tenths // 10}.{tenths % 10}%"


@dataclass(frozen=True)
class Cell:
    value: int | Fraction | str | None
    text: str
    # On the page only: a badge's tone ("sla-ok", "sla-overdue") and a link.
    tone: str = ""
    href: str = ""

    @property
    def is_rate(self) -> bool:
        return isinstance(self.value, Fraction)

    @property
    def numeric(self) -> bool:
        """A count or a rate (right-aligned on the page, a number in the file); "—" is text."""
        return isinstance(self.value, int | Fraction) and not isinstance(self.value, bool)


def count(n: int) -> Cell:
    return Cell(n, str(n))


def ratio(value: Fraction | None) -> Cell:
    return Cell(value, percent_text(value))


def text(value: str, **kwargs) -> Cell:
    return Cell(value, value, **kwargs)


BLANK = text("")


@dataclass(frozen=True)
class Column:
    label: str
    # What the column means, for a header that does not explain itself: the header's tooltip and
    # the legend under the table on the page; a comment on the header and the notes sheet in the file.
    note: str = ""
    width: int = 12  # the file's column width, in characters
    numeric: bool = False


@dataclass
class Table:
    key: str
    title: str
    sheet: str  # the XLSX sheet's name (at most 31 characters)
    columns: list[Column]
    rows: list[list[Cell]]
    footer: list[list[Cell]] = field(default_factory=list)
    empty: str = ""
    # Columns before this one name the row (the unit, the case): they stay in view while scrolling.
    row_header: int = 1

    @property
    def legend(self) -> list[Column]:
        return [c for c in self.columns if c.note]

    @property
    def freeze_at(self) -> str:
        """The XLSX cell below the header row (row 2, under the title) and right of the naming columns."""
        return f"{chr(ord('A') + self.row_header + 1)}3" if self.row_header >= 0 else "A3"


def _n_note() -> str:
    return _("N: complaints received in the month (repair requests excluded), counted against the unit they "
             "were first dispatched to, also after a transfer.")


def _u_note() -> str:
    return _("U: complaints of N closed by the end of the month because the customer could not be reached. "
             "The monthly closure and satisfaction rates are taken over N − U.")


def _unit_name(figures: ReceivedFigures) -> Cell:
    return text(figures.label)


def _unit_columns() -> list[Column]:
    return [Column(_("Code"), width=8), Column(_("Unit"), width=22)]


def kpi_table(report: MonthlyReport) -> Table:
    columns = [
        *_unit_columns(),
        Column(_("Complaints (N)"), note=_n_note(), width=10, numeric=True),
        Column(_("Unreachable (U)"), note=_u_note(), width=10, numeric=True),
        Column(_("24-hour contact rate"), width=11, numeric=True),
        Column(_("Reply timeliness rate"), width=11, numeric=True),
        Column(_("False replies"), width=9, numeric=True),
        Column(_("One-time closure rate"), width=11, numeric=True),
        Column(_("Monthly closure rate"), width=11, numeric=True),
        Column(_("Handling satisfaction rate"), width=11, numeric=True),
        Column(_("Complaints under the limit"), width=11, numeric=True,
               note=_("Complaints of N about product quality, technical matters and the service process: "
                      "the ones the unit's monthly limit counts.")),
        Column(_("Monthly limit"), width=9, numeric=True),
        Column(_("Over limit"), width=9),
        # The support criteria 5.1.5 and 5.1.6 beside their verdict, not only named in its reason.
        Column(_("Negative media exposures"), width=9, numeric=True),
        Column(_("In transition or suspended"), width=10),
        Column(_("Complaint-handling support"), width=12),
        Column(_("Reason"), width=48),
    ]

    def unit_row(u: UnitFigures) -> list[Cell]:
        dispatched = u.unit_id is not None
        if not dispatched or not u.limit:
            over = text(DASH)  # no unit, or no limit set: nothing to be over
        else:
            over = text(_("Yes"), tone="badge-major") if u.over_limit else text(_("No"))
        if not dispatched:
            support = text(DASH)  # the support verdict is a unit's
        elif u.qualifies_for_support:
            support = text(_("qualifies"), tone="sla-ok")
        else:
            support = text(_("does not qualify"), tone="sla-overdue")
        return [
            text(u.code), _unit_name(u), count(u.n), count(u.unreachable), ratio(u.contact_rate),
            ratio(u.reply_rate), count(u.false_replies), ratio(u.one_time_rate), ratio(u.closure_rate),
            ratio(u.satisfaction_rate), count(u.limited_n),
            count(u.limit) if dispatched and u.limit else text(DASH), over,
            count(u.media_exposures) if dispatched else text(DASH),
            (text(_("Yes")) if (u.suspended or u.in_transition) else text(_("No"))) if dispatched else text(DASH),
            support,
            text("; ".join(u.support_refusals) if dispatched else ""),
        ]

    t = report.total
    total = [BLANK, _unit_name(t), count(t.n), count(t.unreachable), ratio(t.contact_rate), ratio(t.reply_rate),
             count(t.false_replies), ratio(t.one_time_rate), ratio(t.closure_rate), ratio(t.satisfaction_rate),
             count(t.limited_n), BLANK, BLANK, BLANK, BLANK, BLANK, BLANK]
    return Table("kpis", _("Complaints"), _("Monthly closed-loop report"), columns, [unit_row(u) for u in report.units],
                 footer=[total], empty=_("No complaints were received this month."))


def forum_table(report: MonthlyReport) -> Table:
    columns = [
        *_unit_columns(),
        Column(_("Received this month"), width=11, numeric=True),
        Column(_("Carried over"), width=11, numeric=True),
        Column(_("Carried over, closed this month"), width=13, numeric=True),
        Column(_("Open at the end of the month"), width=13, numeric=True),
        Column(_("Forum closure rate"), width=11, numeric=True),
    ]

    def row(u: UnitFigures) -> list[Cell]:
        return [text(u.code), _unit_name(u), count(u.forum_n), count(u.carried_forum),
                count(u.carried_forum_closed), count(u.forum_open), ratio(u.forum_closure_rate)]

    units = [u for u in report.units if u.forum_n or u.carried_forum]
    t = report.total
    footer = [[BLANK, *row(t)[1:]]] if units else []
    return Table("forum", _("Online-forum complaints"), _("Online-forum complaints"), columns, [row(u) for u in units],
                 footer=footer, empty=_("No online-forum complaints this month or carried over."))


def repair_table(report: MonthlyReport) -> Table:
    columns = [
        *_unit_columns(),
        Column(_("Repair requests (N)"), width=10, numeric=True,
               note=_("N: repair requests received in the month, counted against the unit they were first "
                      "dispatched to.")),
        Column(_("Unreachable (U)"), width=10, numeric=True,
               note=_("U: repair requests of N closed by the end of the month because the customer could not "
                      "be reached. The closure rate is taken over N − U.")),
        Column(_("24-hour contact rate"), width=11, numeric=True),
        Column(_("Reply timeliness rate"), width=11, numeric=True,
               note=_("A repair request's reply is its resolution within 3 working days, met in time.")),
        Column(_("Closure rate"), width=11, numeric=True),
    ]

    def row(r: RepairFigures) -> list[Cell]:
        return [text(r.code if not r.is_total else ""), _unit_name(r), count(r.n), count(r.unreachable),
                ratio(r.contact_rate), ratio(r.reply_rate), ratio(r.closure_rate)]

    return Table("repairs", _("Repair requests"), _("Repair requests"), columns, [row(r) for r in report.repairs],
                 footer=[row(report.repair_total)], empty=_("No repair requests were received this month."))


def _moment(moment: datetime | None) -> Cell:
    return text(timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else DASH)


def case_table(key: str, title: str, sheet: str, complaints: list[CaseRow], *, unmasked: bool) -> Table:
    columns = [
        Column(_("Number"), width=18), Column(_("Subject"), width=30), Column(_("Customer"), width=12),
        Column(_("Phone"), width=14), Column(_("Unit"), width=20), Column(_("Category"), width=12),
        Column(_("State"), width=12), Column(_("Received at"), width=17), Column(_("Closed at"), width=17),
        Column(_("Reason"), width=30),
    ]
    rows = [
        [text(c.number, href=reverse("complaints:detail", args=[c.number])), text(c.subject), text(c.customer_name),
         text(c.customer_phone if unmasked else mask_phone(c.customer_phone)), text(c.unit_name or DASH),
         text(c.category_label), text(c.state_label), _moment(c.received_at), _moment(c.closed_at),
         text(c.closure_reason)]
        for c in complaints
    ]
    return Table(key, title, sheet, columns, rows, empty=_("None."), row_header=0)


def monthly_tables(report: MonthlyReport, *, unmasked: bool = False) -> list[Table]:
    """The report's tables in the order the page shows them and the file's sheets follow. Phones
    are masked unless `unmasked` (the person may see personal data)."""
    return [
        kpi_table(report),
        forum_table(report),
        repair_table(report),
        case_table("forced", _("Forced closures this month"), _("Forced closures this month"), report.forced_closures,
                   unmasked=unmasked),
        case_table("open_long", _("Complaints open for more than three months (company-level projects)"),
                   _("Open over three months"), report.open_over_three_months, unmasked=unmasked),
    ]
