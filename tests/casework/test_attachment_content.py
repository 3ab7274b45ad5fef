"""An attachment's content must be what its extension says (security review, issue 8)."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from casework.file_types import CHECKS, OLE_SIGNATURE
from casework.models import Attachment, CaseEvent

from ..factories import ComplaintFactory


def png_bytes() -> bytes:
    """A real 1×1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
            + chunk(b"IEND", b""))


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    book = Workbook()
    book.active.append(["客户", "电话"])
    book.save(buffer)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    """The parts of a .docx in an order filetype's magic does not recognise (word/ comes late)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name in ("_rels/.rels", "docProps/app.xml", "docProps/core.xml", "customXml/item1.xml"):
            archive.writestr(name, "<x/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("setup.exe", EXE)
    return buffer.getvalue()


def post(client, case, name, content):
    return client.post(f"/complaints/{case.number}/attachments/", {"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize("name, content", [
    ("现场照片.png", png_bytes()),
    ("照片.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 50),
    ("动图.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
    ("报告.pdf", PDF),
    ("台账.xlsx", xlsx_bytes()),
    ("说明.docx", docx_bytes()),
    ("旧台账.xls", OLE_SIGNATURE + b"\x00" * 600),
    ("记录.txt", "客户来电，要求回访。".encode("gbk")),
    ("回访.txt", "客户表示满意。\n".encode()),  # UTF-8
])
def test_files_whose_content_agrees_are_stored(agent_client, name, content):
    case = ComplaintFactory()
    assert post(agent_client, case, name, content).status_code == 302
    assert Attachment.objects.get().original_name == name


@pytest.mark.parametrize("name, content", [
    ("发票.pdf", EXE),  # the finding: an .exe renamed .pdf
    ("照片.jpg", EXE),
    ("照片.png", PDF),
    ("台账.xlsx", plain_zip()),  # a zip, but no workbook inside
    ("说明.docx", xlsx_bytes()),  # a workbook is not a Word document
    ("旧文档.doc", EXE),
    ("readme.txt", EXE),
    ("readme.txt", "UTF-16 text".encode("utf-16")),
])
def test_a_file_whose_content_disagrees_is_a_field_error_and_nothing_is_stored(agent_client, name, content):
    case = ComplaintFactory()
    response = post(agent_client, case, name, content)
    assert response.status_code == 400
    assert response.context["attachment_form"].has_error("file")
    assert "is not what its extension" in response.content.decode()
    assert not Attachment.objects.exists()
    assert not CaseEvent.objects.filter(case_id=case.pk, kind="attachment").exists()


def test_every_allowed_extension_has_a_content_check(settings):
    assert set(settings.ATTACHMENT_EXTENSIONS) <= set(CHECKS)
