"""Customer and responsible-unit pages."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from .case_kinds import attach_next_deadlines
from .decorators import role_required
from .models import Customer, Notification, ResponsibleUnit
from .notifications import case_url, notifications_mark_read
from .pagination import CappedPaginator
from .roles import Role, is_service_desk, user_roles, user_unit_ids
from .selectors import customer_by_phone, customer_overview

DESK = (Role.AGENT, Role.MANAGER, Role.ADMIN)


def home(request):
    """Where a person lands after logging in: administrators on the reports, everyone else on the queue."""
    if not request.user.is_authenticated:
        return redirect("login")
    roles = user_roles(request.user)
    if roles & {Role.AGENT, Role.HANDLER, Role.MANAGER}:
        return redirect("complaints:queue")
    if Role.ADMIN in roles:
        return redirect("reports:dashboard")
    raise PermissionDenied


@role_required(*DESK)
def customer_list(request):
    search = request.GET.get("q", "").strip()[:100]
    customers = Customer.objects.all()
    if search:
        customers = customers.filter(
            Q(name__icontains=search) | Q(phone__contains=search) | Q(organisation__icontains=search)
        )
    page = CappedPaginator(customers.order_by("name", "pk"), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    # Count complaints for this page's customers only, not for every customer there is.
    complaints = Customer._meta.get_field("complaints").related_model.objects
    counts = dict(complaints.filter(customer__in=[c.pk for c in page.object_list]).order_by()
                  .values("customer").annotate(n=Count("pk")).values_list("customer", "n"))
    for customer in page.object_list:
        customer.complaint_count = counts.get(customer.pk, 0)
    context = {"page": page, "search": search, "query": urlencode({"q": search}) if search else ""}
    return render(request, "casework/customer_list.html", {**context, "title": _("Customers")})


@role_required(*DESK)
def customer_detail(request, pk):
    customer = get_object_or_404(Customer, pk=pk)
    complaints = attach_next_deadlines(
        customer.complaints.select_related("customer", "responsible_unit").order_by("-received_at")[:50])
    proposals = attach_next_deadlines(
        customer.proposals.select_related("customer", "responsible_unit").order_by("-received_at")[:50])
    return render(request, "casework/customer_detail.html",
                  {"customer": customer, "complaints": complaints, "proposals": proposals,
                   "contact_persons": customer.contact_persons.order_by("name", "pk")[:100],
                   "corrections": customer.corrections.select_related("actor")[:100]})


@never_cache
@require_GET
@role_required(Role.AGENT, Role.MANAGER)
def customer_lookup(request):
    """The intake pages' lookup as the phone is typed: the known customer, their contact persons,
    open and recent cases and the repeat hint, as JSON with the panel's HTML. The desk's only (it
    registers cases), at most CUSTOMER_LOOKUP_RATE per person: a lookup by phone is personal data."""
    if is_ratelimited(request, group="casework:customer_lookup", key="user", rate=settings.CUSTOMER_LOOKUP_RATE,
                      increment=True):
        return JsonResponse({"found": False, "error": _("Too many look-ups: wait a minute.")}, status=429)
    customer = customer_by_phone(phone=request.GET.get("phone", "")[:32])
    if customer is None:
        return JsonResponse({"found": False})
    overview = customer_overview(customer=customer, category=request.GET.get("category", "")[:20])
    return JsonResponse({
        "found": True,
        "customer": {"name": customer.name, "organisation": customer.organisation, "email": customer.email,
                     "tier": customer.tier},
        "contacts": [contact.name for contact in overview.contact_persons],
        "html": render_to_string("casework/_known_customer.html", {"overview": overview}, request=request),
    })


def _visible_units(user):
    units = ResponsibleUnit.objects.select_related("lead")
    if is_service_desk(user) or Role.ADMIN in user_roles(user):
        return units
    return units.filter(pk__in=user_unit_ids(user))


@role_required(Role.AGENT, Role.HANDLER, Role.MANAGER, Role.ADMIN)
def unit_list(request):
    units = list(_visible_units(request.user).order_by("code"))
    # Open complaints only: they sit in a small partial index, however many are closed.
    complaints = ResponsibleUnit._meta.get_field("complaints").related_model.objects
    open_counts = dict(complaints.open().filter(responsible_unit__in=units).order_by()
                       .values("responsible_unit").annotate(n=Count("pk")).values_list("responsible_unit", "n"))
    for unit in units:
        unit.open_count = open_counts.get(unit.pk, 0)
    return render(request, "casework/unit_list.html", {"units": units, "title": _("Responsible units")})


@role_required(Role.AGENT, Role.HANDLER, Role.MANAGER, Role.ADMIN)
def unit_detail(request, pk):
    unit = get_object_or_404(_visible_units(request.user), pk=pk)
    by_state = unit.complaints.open().values("state").annotate(n=Count("pk")).order_by("state")
    recent = attach_next_deadlines(unit.complaints.open().select_related("customer").order_by("received_at")[:50])
    return render(request, "casework/unit_detail.html",
                  {"unit": unit, "by_state": by_state, "recent": recent, "members": unit.members.all()})


ANY_ROLE = (Role.AGENT, Role.HANDLER, Role.MANAGER, Role.ADMIN)


@role_required(*ANY_ROLE)
def notification_list(request):
    notes = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-pk")
    page = Paginator(notes, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "casework/notifications.html", {"page": page, "title": _("Notifications")})


@require_http_methods(["GET", "POST"])
@role_required(*ANY_ROLE)
def notification_open(request, pk):
    """Open the notification's case. Only the list's POST button marks it read: a GET must
    change nothing (link prefetchers, mail scanners and a pasted address send GETs)."""
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if request.method == "POST":
        notifications_mark_read(user=request.user, ids=[note.pk])
    return redirect(case_url(note) or "casework:notifications")


@require_POST
@role_required(*ANY_ROLE)
def notifications_read_all(request):
    notifications_mark_read(user=request.user)
    return redirect("casework:notifications")
