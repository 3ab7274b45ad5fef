"""The app's own error pages, in the visitor's language (LocaleMiddleware has chosen it before any
of these runs), with the header and a way back: 403, 404, 405, the CSRF failure and 500 — and the
503 that works when what pages normally need is gone.

Staff pages get the staff header (`<status>.html`, extending base.html); the customer's public
pages — the portal, the survey link, the CAPTCHA images — get the portal's look and its start page
as the way back (`portal/<status>.html`), never the staff header. A 500 page is drawn from its
template alone (no request context: whatever failed may be the database the context processors
read)."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

# What an unreachable database (or the Redis holding the sessions) raises from anywhere in a request.
# An IntegrityError or a bad query is a bug and stays a 500; losing the server is not.
UNAVAILABLE = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)


# The customer's pages (no login, no staff header): their errors look like them.
PUBLIC_PREFIXES = ("/portal/", "/s/", "/captcha/")


def is_public(request: HttpRequest | None) -> bool:
    return request is not None and request.path.startswith(PUBLIC_PREFIXES)


def error_page(request: HttpRequest, status: int, template: str | None = None) -> HttpResponse:
    """The page for `status` (403, 404, 405; `template` for another, the CSRF failure's), with the
    request's context: the header knows who is logged in, the switch the language."""
    name = template or f"{status}.html"
    return render(request, f"portal/{name}" if is_public(request) else name, status=status)


def page_not_found(request, exception=None):
    """handler404. The page does not repeat the exception: a case another unit's handler may not
    see gets the same page as a number that does not exist."""
    return error_page(request, 404)


def permission_denied(request, exception=None):
    """handler403: a person without the role a page needs (an administrator following a
    notification to a case page, say)."""
    return error_page(request, 403)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: most often a form left open past its session, or cookies blocked. The
    reason is Django's English text for developers; the page says what the visitor can do."""
    return error_page(request, 403, template="403_csrf.html")


def server_error(request):
    """handler500: a database or cache that is down is a 503 page saying to try again shortly,
    not a 500 saying something is broken. The page needs nothing but its template: no user,
    no session, no context processor (each would ask the database again)."""
    error = sys.exc_info()[1]
    if isinstance(error, UNAVAILABLE):
        html = loader.get_template("503.html").render()
        return HttpResponse(html, status=503, headers={"Retry-After": "30"})
    html = loader.get_template("portal/500.html" if is_public(request) else "500.html").render()
    return HttpResponse(html, status=500)

