"""Does an uploaded file's content agree with its extension? A renamed `.exe` must not be
stored, and later opened, as a PDF or a photo.

`filetype` reads magic numbers in pure Python (no system libmagic, so every laptop behaves
the same). It names OOXML only when `word/` or `xl/` is among the first zip entries, and knows
no generic OLE compound file, so those two families get a check of their own."""

from __future__ import annotations

import zipfile
from collections.abc import Callable

import filetype

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc and .xls (Office 97-2003)
ZIP_MIME = "application/zip"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _head(file) -> bytes:
    file.seek(0)
    head = file.read(8192)  # as much as filetype ever looks at
    file.seek(0)
    return head


def _is_mime(*mimes: str) -> Callable:
    return lambda file: filetype.guess_mime(_head(file)) in mimes


def _is_ooxml(*, mime: str, folder: str) -> Callable:
    def check(file) -> bool:
        if filetype.guess_mime(_head(file)) not in (mime, ZIP_MIME):
            return False
        # The magic only looks at the first entries; the zip's own directory is the proof.
        try:
            with zipfile.ZipFile(file) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError):
            return False
        finally:
            file.seek(0)
        return "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)

    return check


def _is_ole(file) -> bool:
    return _head(file).startswith(OLE_SIGNATURE)


def _is_text(file) -> bool:
    # Attachments are capped at a few MB (ATTACHMENT_MAX_BYTES): reading one whole is fine.
    file.seek(0)
    raw = file.read()
    file.seek(0)
    if b"\x00" in raw:
        return False
    for encoding in ("utf-8", "gbk"):  # what Notepad and Chinese Windows save
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


CHECKS: dict[str, Callable] = {
    "jpg": _is_mime("image/jpeg"),
    "jpeg": _is_mime("image/jpeg"),
    "png": _is_mime("image/png"),
    "gif": _is_mime("image/gif"),
    "pdf": _is_mime("application/pdf"),
    "docx": _is_ooxml(mime=DOCX_MIME, folder="word/"),
    "xlsx": _is_ooxml(mime=XLSX_MIME, folder="xl/"),
    "doc": _is_ole,
    "xls": _is_ole,
    "txt": _is_text,
}


def content_matches_extension(*, file, extension: str) -> bool:
    """False also for an extension nobody wrote a check for: a new one must come with its check."""
    check = CHECKS.get(extension.lower())
    return check is not None and check(file)
