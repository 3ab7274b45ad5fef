"""Request hygiene that holds for every page: input no view can store, and the idle timeout."""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpResponseBadRequest

SESSION_TOUCHED_KEY = "_closeloop_touched"


class RejectNulBytesMiddleware:
    """A NUL byte in a path, a query or a form field is never a person's input, and PostgreSQL
    refuses it in text: answer 400 here rather than 500 in whichever view meets it first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key or "\x00" in value
                                         for data in (request.GET, request.POST)
                                         for key, values in data.lists() for value in values):
            return HttpResponseBadRequest("NUL bytes are not accepted.", content_type="text/plain")
        return self.get_response(request)


class IdleSessionMiddleware:
    """The session ends after SESSION_COOKIE_AGE seconds without a request. Rather than saving the
    session on every request (SESSION_SAVE_EVERY_REQUEST), it is renewed at most once a minute:
    the idle clock is as exact as anyone needs, at a fraction of the writes."""

    RENEW_AFTER_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and getattr(request, "user", None) is not None \
                and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get(SESSION_TOUCHED_KEY, 0) >= min(self.RENEW_AFTER_SECONDS, settings.SESSION_COOKIE_AGE):
                session[SESSION_TOUCHED_KEY] = now  # marks it modified: saved with a fresh expiry
        return response


class NotAllowedPageMiddleware:
    """Django has no handler405: a view that takes only POST (or GET) answers another method with
    an empty HttpResponseNotAllowed — Django's own views too (a GET of /logout/). Rather than
    decorate every such view, this gives every empty 405 the app's page (config.errors), keeping
    its Allow header. It sits inside the CSP and clickjacking middleware, so the page gets their
    headers. (The case pages' POST addresses, which a form with errors leaves in the address bar,
    send a GET back to the case page instead: workflow.pages.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not getattr(response, "streaming", False) and not response.content:
            from .errors import error_page  # errors imports the database's exceptions; only needed here

            page = error_page(request, 405)
            if response.has_header("Allow"):
                page["Allow"] = response["Allow"]
            return page
        return response
