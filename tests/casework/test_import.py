"""Importing what other hotline systems export: preview with per-row errors, then all or none."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from casework.models import Customer
from complaints.models import Complaint
from sla.models import Milestone

HEADER = "受理时间,客户姓名,联系电话,渠道,类别,主题,投诉内容,优先级\n"
GOOD = [
    "2026-10-08 09:30,张伟,13812345678,400热线,产品质量,车门异响,新车车门关闭有异响,高\n",
    "2026/10/09 14:00,刘洋,13987654321,wechat,service_process,维修等待时间长,等待四小时,normal\n",
]
BAD = "2026-10-10 10:00,孙丽,12345,微信,不存在的类别,,内容,普通\n"


def upload(client, kind, content: bytes, name="导出.csv"):
    return client.post("/imports/", {"kind": kind, "file": SimpleUploadedFile(name, content)})


def confirm(client, preview_response=None):
    """Press the preview's "Import all" button: it carries the token of the file it showed."""
    token = preview_response.context.get("import_token", "") if preview_response is not None else ""
    return client.post("/imports/confirm/", {"token": token})


def gbk(text):
    return text.encode("gbk")


def test_gbk_csv_with_one_bad_row_writes_nothing(manager_client):
    response = upload(manager_client, "complaints", gbk(HEADER + GOOD[0] + BAD + GOOD[1]))
    assert response.status_code == 400
    preview = response.context["preview"]
    assert [e.line for e in preview.errors] == [3]
    assert len(preview.errors[0].messages) == 3  # phone, category, subject
    assert "Import all" not in response.content.decode()
    # Confirming without a clean preview imports nothing.
    confirm(manager_client, response)
    assert not Complaint.objects.exists() and not Customer.objects.exists()


def test_clean_gbk_csv_imports_every_row_with_its_deadlines(manager_client, manager):
    response = upload(manager_client, "complaints", gbk(HEADER + "".join(GOOD)))
    assert response.status_code == 200 and response.context["preview"].ok
    assert not Complaint.objects.exists()  # the preview writes nothing
    assert confirm(manager_client, response).status_code == 302
    complaints = list(Complaint.objects.order_by("received_at"))
    assert [c.subject for c in complaints] == ["车门异响", "维修等待时间长"]
    first = complaints[0]
    assert (first.channel, first.category, first.priority) == ("hotline", "product_quality", "high")
    assert first.first_responder == manager
    assert Milestone.objects.filter(case_id=first.pk, kind="resolution").get().policy.target == 3
    # The stashed file is gone: a second confirmation imports nothing more.
    confirm(manager_client, response)
    assert Complaint.objects.count() == 2


def test_xlsx_customers(admin_client_role):
    book = Workbook()
    book.active.append(["姓名", "电话", "单位", "客户类别"])
    book.active.append(["王芳", "13700001111", "华东物流", "重点客户"])
    book.active.append(["李强", 13700002222, None, "ordinary"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(admin_client_role, "customers", buffer.getvalue(), name="客户.xlsx")
    assert response.status_code == 200, response.context["preview"].errors
    confirm(admin_client_role, response)
    assert dict(Customer.objects.values_list("phone", "tier")) == {"13700001111": "key", "13700002222": "ordinary"}


@pytest.mark.parametrize("name, content, message", [
    ("a.exe", b"x", "Upload a .csv or .xlsx file"),
    ("a.csv", b"", "empty"),
    ("a.csv", "受理时间\n".encode(), "no rows"),
    ("a.csv", b"foo,bar\n1,2\n", "None of the columns"),
    ("a.xlsx", b"not a workbook", "not a readable XLSX"),
    ("a.csv", b"\xff\xfe\x00\x81\x30", "neither UTF-8 nor GBK"),
])
def test_unreadable_files_are_field_errors(manager_client, name, content, message):
    response = upload(manager_client, "complaints", content, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_only_admins_and_managers_import(agent_client, handler_a_client):
    assert agent_client.get("/imports/").status_code == 403
    assert handler_a_client.post("/imports/confirm/").status_code == 403


def test_admin_customer_export_masks_phones_without_the_permission(admin_client_role, admin_user):
    from django.contrib.auth.models import Permission

    Customer.objects.create(name="张伟", phone="13812345678", email="zhangwei@example.com")
    data = {"format": "0", "resource": "0", "export_items": [], "customerresource_phone": "on",
            "customerresource_name": "on", "customerresource_email": "on"}

    def exported():
        response = admin_client_role.post("/admin/casework/customer/export/", data)
        assert response.status_code == 200, response.content[:500]
        return response.content.decode("utf-8-sig")

    masked = exported()
    assert "138****5678" in masked and "13812345678" not in masked and "zhangwei@" not in masked
    admin_user.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    assert "13812345678" in exported()


def test_admin_complaint_export_masks_the_customers_phone(admin_client_role):
    from ..factories import ComplaintFactory, CustomerFactory

    ComplaintFactory(customer=CustomerFactory(phone="13812345678"), subject="导出测试")
    from complaints.resources import ComplaintResource

    chosen = {f"complaintresource_{name}": "on" for name in ComplaintResource.Meta.fields}
    response = admin_client_role.post("/admin/complaints/complaint/export/", {"format": "0", "resource": "0", **chosen})
    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and "导出测试" in text
    assert "138****5678" in text and "13812345678" not in text


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_csv_is_decoded_as_read_across_chunk_boundaries(monkeypatch, encoding):
    """Chinese characters straddling the encoding check's chunks, and the reader's, come out whole."""
    from casework import tabular

    monkeypatch.setattr(tabular, "DECODE_CHUNK", 7)  # odd: GBK's and UTF-8's multi-byte characters get split
    raw = "名称,电话\n张伟,13812345678\n欧阳娜娜,021-64881234\n".encode(encoding)
    table = tabular.read_table(raw, "客户.csv", columns={"name": ["名称"], "phone": ["电话"]})
    assert [row for _, row in table.rows()] == [{"name": "张伟", "phone": "13812345678"},
                                                {"name": "欧阳娜娜", "phone": "021-64881234"}]
    assert table.headers == ["名称", "电话"]


def test_a_file_neither_utf8_nor_gbk_is_refused(monkeypatch):
    from casework import tabular

    monkeypatch.setattr(tabular, "DECODE_CHUNK", 7)
    with pytest.raises(tabular.TableError):
        tabular.read_table("名称\n张伟\n".encode() + b"\x80\xff\xfe", "x.csv", columns={"name": ["名称"]})


@pytest.mark.parametrize("received", ["0001-01-01 00:00", "9999-12-31", "1999-12-31 23:59", "2099-01-01 10:00"])
def test_impossible_receipt_times_are_row_errors_in_the_preview(manager_client, received):
    """9999-12-31 once passed the preview and failed at confirmation; 0001-01-01 was stored as 1 BC."""
    row = f"{received},张伟,13812345678,400热线,产品质量,车门异响,新车车门关闭有异响,高\n"
    response = upload(manager_client, "complaints", gbk(HEADER + GOOD[0] + row))
    assert response.status_code == 400
    assert [e.line for e in response.context["preview"].errors] == [3]
    manager_client.post("/imports/confirm/")
    assert not Complaint.objects.exists()
