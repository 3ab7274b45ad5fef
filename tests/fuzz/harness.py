"""Sending one fuzzed request as one role, each in a transaction that is rolled back, and telling
a server error apart from every other answer."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

REPO = Path(settings.BASE_DIR).resolve()


@dataclass(frozen=True)
class Request:
    role: str
    method: str  # "get" or "post"
    path: str  # for a POST, possibly with the form action's query string
    params: tuple[tuple[str, str], ...] = ()  # the query string (GET) or form body (POST); keys may repeat
    files: tuple[tuple[str, str, bytes], ...] = ()  # (field, file name, content)

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={_short(v)}" for k, v in self.params)
        shown += "".join(f", {k}=<file {_short(n)} {len(c)} bytes>" for k, n, c in self.files)
        return f"{self.role}: {self.method.upper()} {_short(self.path, 120)} [{shown}]"


def _short(value: str, keep: int = 40) -> str:
    if len(value) <= keep:
        return repr(value)
    return f"{value[:keep]!r}…(+{len(value) - keep} chars)"


class ServerError(AssertionError):
    """A 5xx answer. Raised `from` the view's own exception, so hypothesis tells bugs apart."""

    def __init__(self, request: Request, status: int, error: BaseException | None):
        self.request, self.status, self.error = request, status, error
        self.where = where(error)
        self.what = f"{type(error).__name__}: {_short(str(error), 160)}" if error else "(no exception)"
        super().__init__(f"{status} {request!r} → {self.what} at {self.where}")


def where(error: BaseException | None) -> str:
    """The innermost frame of our own code in the traceback (not Django's, not a library's)."""
    if error is None:
        return "?"
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if str(REPO) in f.filename and "/.venv/" not in f.filename
            and "/site-packages/" not in f.filename]
    frame = (ours or frames or [None])[-1]
    if frame is None:
        return "?"
    return f"{Path(frame.filename).resolve().relative_to(REPO) if str(REPO) in frame.filename else frame.filename}" \
           f":{frame.lineno}"


@dataclass
class Sender:
    """Sends requests as the scene's roles; each one's writes are rolled back before the next."""

    sessions: dict[str, str | None]  # role → session key (None: anonymous)
    sent: int = 0
    failures: list[ServerError] = field(default_factory=list)

    def send(self, request: Request):
        client = Client(raise_request_exception=False)
        if self.sessions[request.role]:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[request.role]
        # Sessions live in the cache too (cached_db): clear it so a rolled-back login, logout or
        # import stash in one example cannot leak into the next.
        cache.clear()
        data: dict[str, list] = {}
        for key, value in request.params:
            data.setdefault(key, []).append(value)
        for key, name, content in request.files:
            data.setdefault(key, []).append(SimpleUploadedFile(name, content))
        self.sent += 1
        with transaction.atomic():
            try:
                response = client.get(request.path, data) if request.method == "get" else client.post(
                    request.path, data)
            finally:
                transaction.set_rollback(True)
        if response.streaming:
            # Reading a download to its end closes its file. (Not response.close(): that sends
            # request_finished, whose handler closes a PostgreSQL connection inside a transaction.)
            b"".join(response.streaming_content)
        return response

    def check(self, request: Request):
        """Send; a 5xx raises ServerError from the view's exception."""
        response = self.send(request)
        if response.status_code >= 500:
            error = response.exc_info[1] if getattr(response, "exc_info", None) else None
            raise ServerError(request, response.status_code, error) from error
        return response

    def record(self, request: Request):
        """Send; a 5xx is remembered (for the report at the end), not raised."""
        try:
            return self.check(request)
        except ServerError as failure:
            self.failures.append(failure)
            return None
