"""What django-axes needs from us: the client's address and the lockout page (settings.AXES_*)."""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render


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


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out person sees: 429 (Too Many Requests), how long to wait, whom to ask."""
    minutes = int(get_cool_off(request).total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes},
                  status=settings.AXES_HTTP_RESPONSE_CODE)
