"""No cell a customer or an admin typed becomes a live formula in any export (issue 8):
every export is opened as a spreadsheet program would and searched for formulas."""

import csv
import io

import pytest
from openpyxl import load_workbook

from casework.models import Customer, ResponsibleUnit
from casework.tabular import FORMULA_STARTS
from complaints.resources import ComplaintResource
from sla.models import CalendarDay

from .scene import october

ATTACKS = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.fixture
def poisoned(agent):
    october(agent)
    ResponsibleUnit.objects.filter(code="A01").update(name=ATTACKS[0])
    Customer.objects.update(name=ATTACKS[1])
    from complaints.models import Complaint

    Complaint.objects.filter(closure_type="forced").update(closure_reason=ATTACKS[3], subject=ATTACKS[2])
    CalendarDay.objects.create(date="2026-12-31", kind="holiday", name=ATTACKS[4])


def xlsx_formula_cells(raw: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(raw))
    return [f"{sheet.title}!{cell.coordinate}" for sheet in book.worksheets for row in sheet.iter_rows()
            for cell in row if cell.data_type == "f"]


def csv_formula_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row if cell.startswith(FORMULA_STARTS)]


def test_monthly_xlsx_has_no_formula(poisoned, manager_client):
    response = manager_client.get("/reports/monthly/export/", {"month": "2026-10", "format": "xlsx"})
    assert response.status_code == 200
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    assert xlsx_formula_cells(raw) == []
    values = [c.value for s in load_workbook(io.BytesIO(raw)).worksheets for r in s.iter_rows() for c in r]
    assert "'" + ATTACKS[0] in values and "'" + ATTACKS[3] in values  # kept, as text


def test_monthly_csv_has_no_formula(poisoned, manager_client):
    response = manager_client.get("/reports/monthly/export/", {"month": "2026-10", "format": "csv"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert csv_formula_cells(text) == []
    assert "'" + ATTACKS[0] in [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.mark.parametrize("fmt", ["0", "1", "2"])  # the admin's spreadsheet formats by index: csv, xlsx, tsv
def test_admin_exports_have_no_formula(poisoned, admin_client_role, fmt):
    chosen = {f"complaintresource_{name}": "on" for name in ComplaintResource.Meta.fields}
    for url, fields in [("/admin/complaints/complaint/export/", chosen),
                        ("/admin/casework/customer/export/", {"customerresource_name": "on",
                                                              "customerresource_phone": "on"}),
                        ("/admin/sla/calendarday/export/", {"calendardayresource_name": "on",
                                                            "calendardayresource_date": "on"})]:
        response = admin_client_role.post(url, {"format": fmt, "resource": "0", "export_items": [], **fields})
        assert response.status_code == 200, (url, response.content[:300])
        if response["Content-Type"].startswith("application/vnd.openxmlformats"):
            assert xlsx_formula_cells(response.content) == [], url
        else:
            text = response.content.decode("utf-8-sig")
            delimiter = "\t" if "tab-separated" in response["Content-Type"] else ","
            cells = [c for row in csv.reader(io.StringIO(text), delimiter=delimiter) for c in row]
            assert [c for c in cells if c.startswith(FORMULA_STARTS)] == [], url
