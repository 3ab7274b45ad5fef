"""The customer's portal: a start page, the two forms, the thank-you page, the 429 page.
No login and no staff header. Floods are refused before anything is read: per client address on
every POST, per phone number on every valid one (django-ratelimit, limits in settings)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from casework.login_throttle import client_address
from casework.phones import phone_normalise
from complaints.models import Complaint
from proposals.models import Proposal

from .forms import ComplaintForm, PortalForm, ProposalForm, TrackForm
from .services import expected_by, portal_complaint_submit, portal_proposal_submit
from .tracking import case_find, customer_steps, handled_by

THANKS_SALT = "portal.thanks"
THANKS_MAX_AGE = 24 * 60 * 60  # the thank-you link shows a number and a date, for a day
KINDS = {"complaint": (ComplaintForm, portal_complaint_submit, Complaint),
         "proposal": (ProposalForm, portal_proposal_submit, Proposal)}


def _address_key(group: str, request: HttpRequest) -> str:
    return client_address(request) or "unknown"


def _phone_key(group: str, request: HttpRequest) -> str:
    # The written form: "+86 138…" and "138…" are one phone, and count against one limit.
    return phone_normalise(request.POST.get("phone", "")[:64])


def _limited(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/limited.html", status=429)


@require_GET
def portal_start(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/start.html")


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def portal_submit(request: HttpRequest, kind: str) -> HttpResponse:
    form_class, submit, _model = KINDS[kind]
    if request.method != "POST":
        return render(request, "portal/form.html", {"form": form_class(), "kind": kind})
    if is_ratelimited(request, group="portal:address", key=_address_key, rate=settings.PORTAL_RATE_PER_ADDRESS,
                      increment=True):
        return _limited(request)
    form: PortalForm = form_class(request.POST, request.FILES)
    if form.is_bot():
        return render(request, "portal/refused.html", status=400)
    if not form.is_valid():
        return render(request, "portal/form.html", {"form": form, "kind": kind}, status=400)
    if is_ratelimited(request, group="portal:phone", key=_phone_key, rate=settings.PORTAL_RATE_PER_PHONE,
                      increment=True):
        return _limited(request)
    case = submit(details=form.cleaned_data, files=form.cleaned_data["files"])
    token = signing.dumps({"kind": kind, "number": case.number}, salt=THANKS_SALT)
    return redirect("portal:thanks", token=token)


@never_cache
@require_GET
def portal_thanks(request: HttpRequest, token: str) -> HttpResponse:
    try:
        data = signing.loads(token, salt=THANKS_SALT, max_age=THANKS_MAX_AGE)
        model = KINDS[data["kind"]][2]
        case = model.objects.get(number=data["number"])
    except (signing.BadSignature, KeyError, TypeError, ObjectDoesNotExist) as refused:
        raise Http404 from refused
    return render(request, "portal/thanks.html",
                  {"case": case, "kind": data["kind"], "expected_by": expected_by(case)})


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def portal_track(request: HttpRequest) -> HttpResponse:
    """The customer's case by number and phone. Every lookup counts against the address's limit
    before anything is read, and every miss (unknown number, another phone, malformed input) gets
    the same page, so the page tells nothing about which numbers exist."""
    if request.method != "POST":
        return render(request, "portal/track.html", {"form": TrackForm()})
    if is_ratelimited(request, group="portal:track", key=_address_key, rate=settings.PORTAL_TRACK_RATE,
                      increment=True):
        return render(request, "portal/track_limited.html", status=429)
    form = TrackForm(request.POST)
    case = case_find(number=form.cleaned_data["number"], phone=form.cleaned_data["phone"]) if form.is_valid() else None
    if case is None:
        return render(request, "portal/track_none.html", status=404)
    return render(request, "portal/track_case.html", {
        "case": case, "kind": "complaint" if isinstance(case, Complaint) else "proposal",
        "steps": customer_steps(case), "handled_by": handled_by(case)})
