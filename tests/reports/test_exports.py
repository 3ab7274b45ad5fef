"""The exported files, read back the way an admin's tools read them."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from reports.exports import monthly_report_xlsx
from reports.monthly import monthly_report
from reports.periods import Month

from .scene import october


@pytest.fixture
def scene(agent):
    return october(agent)


def test_csv_from_the_command_has_a_bom_chinese_headers_and_the_figures(scene, tmp_path, settings):
    settings.LANGUAGE_CODE = "zh-hans"  # the site's language, which the command writes in
    path = tmp_path / "2026-10.csv"
    call_command("monthly_report", "--month", "2026-10", "--format", "csv", "--output", str(path))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0].startswith("2026-10 月度闭环报表 已保存第 1 版")
    header = rows[3]
    assert header[:2] == ["编码", "责任单位"] and header[4:6] == ["24小时联系率", "回复及时率"]
    unit_a = next(r for r in rows if r and r[0] == "A01")
    assert unit_a[2:10] == ["7", "1", "57.1%", "42.9%", "1", "33.3%", "33.3%", "16.7%"]
    assert unit_a[12] == "是" or unit_a[12] == "Yes"  # over its limit (the word waits for its translation)
    assert unit_a[13:15] == ["0", "否"]  # no negative media exposure, not in transition or suspended
    assert unit_a[15] == "不符合"
    undispatched = next(r for r in rows if r and r[0] == "—")
    assert undispatched[1] == "尚未派工"
    assert undispatched[7] == "—"  # one-time closure with nobody called back
    assert undispatched[12:16] == ["—"] * 4  # no unit: no limit to be over, no criteria, no support verdict
    total = next(r for r in rows if len(r) > 2 and r[1] == "合计")
    assert total[2] == "9"
    repairs = rows.index(["报修"])
    assert rows[repairs + 2][:3] == ["A01", "质量部", "1"]  # the repair request, on its own


def test_xlsx_from_the_command_opens_with_openpyxl(scene, tmp_path, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    path = tmp_path / "2026-10.xlsx"
    call_command("monthly_report", "--month", "2026-10", "--format", "xlsx", "--output", str(path))
    book = load_workbook(path)
    assert book.sheetnames[:4] == ["月度闭环报表", "网络抱怨", "报修", "本月强制闭环清单"]
    assert book.sheetnames[-1] == "说明"
    sheet = book["月度闭环报表"]
    headers = [c.value for c in sheet[2]]
    assert headers[8] == "月度闭环率"
    unit_a = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0] == "A01")
    assert unit_a[2] == 7 and unit_a[8] == pytest.approx(2 / 6) and unit_a[7] == pytest.approx(1 / 3)
    assert sheet.cell(row=3, column=9).number_format == "0.0%"
    forced = list(book["本月强制闭环清单"].iter_rows(min_row=3, values_only=True))
    assert len(forced) == 2
    assert "****" in forced[0][3]  # phone masked without the permission


def test_phones_unmasked_only_with_the_permission(scene):
    report = monthly_report(month=Month(2026, 10))
    book = load_workbook(io.BytesIO(monthly_report_xlsx(report, unmasked=True)))
    phone = list(book.worksheets[3].iter_rows(min_row=3, values_only=True))[0][3]
    assert "*" not in phone and len(phone) == 11


@pytest.mark.parametrize("month", ["2026-13", "26-10", "abc", ""])
def test_command_refuses_a_bad_month(db, tmp_path, month):
    with pytest.raises(CommandError):
        call_command("monthly_report", "--month", month, "--format", "csv", "--output", str(tmp_path / "x.csv"))
