"""Import files kept between preview and confirmation (settings.IMPORT_UPLOAD_DIR).

They hold customers' names and phone numbers, so: readable by the app's own OS user only,
named by an unguessable token that lives only in the uploader's session, and removed on
confirmation, on a newer upload, or after settings.IMPORT_STASH_MAX_AGE_SECONDS."""

from __future__ import annotations

import logging
import os
import re
import secrets
import time
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

TOKEN = re.compile(r"[0-9a-f]{32}")


def import_stash_path(*, token: str) -> Path | None:
    """None for anything that is not one of our tokens: never a path out of the folder."""
    if not TOKEN.fullmatch(str(token)):
        return None
    return settings.IMPORT_UPLOAD_DIR / token


def import_stash_write(*, raw: bytes) -> str:
    """Write the file, mode 0600 from its first byte on, and return its token."""
    settings.IMPORT_UPLOAD_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    # O_EXCL: never write into a file someone else prepared under that name.
    fd = os.open(import_stash_path(token=token), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(raw)
    return token


def import_stash_remove(*, token: str) -> None:
    path = import_stash_path(token=token)
    if path is not None:
        path.unlink(missing_ok=True)


def import_stash_expired(*, created: float, now: float | None = None) -> bool:
    return (now if now is not None else time.time()) - created > settings.IMPORT_STASH_MAX_AGE_SECONDS


def import_stashes_remove_expired(*, now: float | None = None) -> int:
    """Remove the files of previews nobody confirmed; returns how many."""
    folder = settings.IMPORT_UPLOAD_DIR
    if not folder.is_dir():
        return 0
    removed = 0
    for path in folder.iterdir():
        try:
            if path.is_file() and import_stash_expired(created=path.stat().st_mtime, now=now):
                path.unlink()
                removed += 1
        except FileNotFoundError:  # confirmed or replaced meanwhile
            continue
    if removed:
        log.info("removed %d expired import files", removed)
    return removed
