"""What django-axes needs from us: the client's address and the lockout page (settings.AXES_*)."""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.models import User
from django.shortcuts import render

USERNAME_MAX_LENGTH = User._meta.get_field("username").max_length or 150


def client_address(request) -> str | None:
    """REMOTE_ADDR, unless settings.TRUSTED_PROXY_COUNT says our own proxies stand in front.

    Each proxy appends the address it received the request from to X-Forwarded-For, so with N
    proxies of ours the N-th entry from the right was written by the outermost one: the entries
    left of it came from the client and may be anything.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


def client_username(request, credentials=None) -> str | None:
    """The user name tried, as axes' default reads it, cut to the longest a user name can be: a
    100,000-character "name" is still counted against the address, and still fits axes' table
    (255 characters; PostgreSQL refused the longer one with a 500)."""
    field = settings.AXES_USERNAME_FORM_FIELD
    name = (credentials or {}).get(field) if credentials else request.POST.get(field)
    return None if name is None else str(name)[:USERNAME_MAX_LENGTH]


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out person sees: 429 (Too Many Requests), how long to wait, whom to ask."""
    minutes = int(get_cool_off(request).total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes},
                  status=settings.AXES_HTTP_RESPONSE_CODE)
