"""The pages every case kind has, written once: the queue, a case's page, its actions, comments and
files. Each case app describes itself in a `CasePages` and maps its URLs here (`CasePages.urls`);
the pages only its kind has (a complaint's approvals, say) stay in the app and use the same pieces."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.functional import Promise
from django.utils.text import capfirst

from casework.case_views import case_attachment_file, case_attachment_submit, case_comment_submit
from casework.decorators import role_required
from casework.forms import AttachmentForm, CommentForm
from casework.pagination import CappedPaginator
from casework.roles import Role
from casework.services import case_attachments, case_timeline, customer_find_or_create
from sla.selectors import attach_next_deadlines
from sla.services import case_milestones

from .act import case_comment
from .selectors import case_rows
from .steps import Workflow
from .views import case_action_submit

ANY_ROLE = (Role.AGENT, Role.HANDLER, Role.MANAGER)
DESK = (Role.AGENT, Role.MANAGER)


def _nothing(*args: Any) -> dict:
    return {}


@dataclass(frozen=True)
class CasePages:
    """What the shared pages need to know of one case kind.

    - `get_visible(user=, number=)`: the kind's selector; raises the model's DoesNotExist for a case
      this user may not see (a 404).
    - `list_cases(user=, **filters)`: the kind's queue selector, taking the filter form's fields by name.
    - `intake_form`, `register(actor=, customer=, **case_details)`: intake's form (a
      casework.forms.CaseIntakeForm) and the kind's register service; `registered`: the message,
      with `%(number)s`. None: the kind has no intake page.
    - `detail_context(request, case) -> dict`: what only this kind's page shows (a complaint's callbacks).
    - `initial(case) -> dict`: the action forms' initial values beside the version (a proposal's
      suggested unit).
    """

    model: type
    workflow: Workflow
    get_visible: Callable[..., Any]
    list_cases: Callable[..., Any]
    filter_form: type
    not_found: Promise | str
    # A kind whose cases are made elsewhere (surveys come from campaigns) has no intake page.
    intake_form: type | None = None
    register: Callable[..., Any] | None = None
    registered: Promise | str = ""
    detail_context: Callable[[Any, Any], dict] = _nothing
    initial: Callable[[Any], dict] = _nothing
    # The URL name of a case's page in the kind's namespace (a survey's is `survey`).
    detail_name: str = "detail"

    @property
    def title(self) -> str:
        """The queue's title: the model's plural name ("Complaints")."""
        return capfirst(self.model._meta.verbose_name_plural)

    @property
    def namespace(self) -> str:
        """The URL namespace and the templates' folder (`<namespace>/queue.html`, `detail.html`): the app's."""
        return self.model._meta.app_label

    def case(self, request, number: str) -> Any:
        """The case with this number if this person may see it, else 404."""
        try:
            return self.get_visible(user=request.user, number=number)
        except self.model.DoesNotExist:
            raise Http404(self.not_found) from None

    def case_url(self, number: str) -> str:
        return reverse(f"{self.namespace}:{self.detail_name}", args=[number])

    def urls(self, *, lists: tuple = (), case_pages: tuple = ()) -> list[URLPattern]:
        """The kind's URLs: the shared pages, with its own list pages (`lists`, before the case
        number) and pages of one case (`case_pages`, before the actions)."""
        kind = {"pages": self}
        return [
            path("", queue, kind, name="queue"),
            *([path("new/", intake, kind, name="intake")] if self.intake_form is not None else []),
            *lists,
            path("<str:number>/", detail, kind, name=self.detail_name),
            *case_pages,
            path("<str:number>/comment/", comment, kind, name="comment"),
            path("<str:number>/attachments/", upload, kind, name="upload"),
            path("<str:number>/attachments/<int:pk>/", attachment, kind, name="attachment"),
            path("<str:number>/<slug:action>/", act, kind, name="act"),
        ]


def detail_context(request, pages: CasePages, case: Any, **overrides: Any) -> dict:
    """The case page: facts, the actions this person may take (each with its form), deadlines,
    attachments, timeline and comments. `overrides` replace parts (a form with its errors)."""
    actions = pages.workflow.available(case=case, user=request.user)
    initial = {"version": case.version, **pages.initial(case)}
    forms = {a.name: a.form(case, initial=initial, prefix=a.name) for a in actions}
    forms.update(overrides.pop("forms", {}))
    first = pages.workflow.opens_first(case=case, actions=actions)
    context = {
        pages.model._meta.model_name: case,
        "actions": [(a, forms[a.name]) for a in actions],
        "open_action": first.name if first is not None else "",  # a form with errors overrides it
        "timeline": case_timeline(case=case),
        "milestones": case_milestones(case=case),
        "attachments": case_attachments(case=case),
        "comment_form": CommentForm(),
        "attachment_form": AttachmentForm(),
        **pages.detail_context(request, case),
    }
    context.update(overrides)
    return context


def detail_renderer(request, pages: CasePages, case: Any, number: str | None = None) -> Callable[..., HttpResponse]:
    """`render_detail(status, fresh=False, **overrides)`: the case page again with a form's errors;
    `fresh=True` re-reads the case (by `number`), which someone else changed."""
    def render_detail(status: int, fresh: bool = False, **overrides: Any) -> HttpResponse:
        shown = pages.case(request, number) if fresh and number else case
        return render(request, f"{pages.namespace}/detail.html", detail_context(request, pages, shown, **overrides),
                      status=status)

    return render_detail


@role_required(*ANY_ROLE)
def queue(request, *, pages: CasePages) -> HttpResponse:
    """The work queue: open cases unless a state (or "all") is chosen; counts are capped, and the
    page's nearest deadlines are one query."""
    params = request.GET.copy()
    params.setdefault("state", pages.filter_form.OPEN)
    form = pages.filter_form(params)
    cases = pages.list_cases(user=request.user, **form.filters())
    page = CappedPaginator(case_rows(cases), settings.PAGE_SIZE, count_queryset=cases).get_page(request.GET.get("page"))
    page.object_list = attach_next_deadlines(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, f"{pages.namespace}/queue.html",
                  {"form": form, "page": page, "query": query.urlencode(), "title": pages.title})


@role_required(*ANY_ROLE)
def detail(request, number: str, *, pages: CasePages) -> HttpResponse:
    return detail_renderer(request, pages, pages.case(request, number))(200)


def posted_to_the_case(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A case's POST addresses (an action, a comment, a file). A form with errors is drawn at the
    address it was posted to, so reloading it or opening it again is a GET: that goes back to the
    case page (whose own lookup says 404 to someone who may not see the case) rather than a 405.
    Other methods get the 405 page (config.middleware.NotAllowedPageMiddleware)."""
    @wraps(view)
    def wrapped(request, number: str, *args: Any, pages: CasePages, **kwargs: Any) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            return redirect(pages.case_url(number))
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return view(request, number, *args, pages=pages, **kwargs)

    return wrapped


@role_required(*ANY_ROLE)
@posted_to_the_case
def act(request, number: str, action: str, *, pages: CasePages) -> HttpResponse:
    case = pages.case(request, number)
    return case_action_submit(request, case=case, action=action, workflow=pages.workflow,
                              render_detail=detail_renderer(request, pages, case, number),
                              success_url=pages.case_url(number))


@role_required(*ANY_ROLE)
@posted_to_the_case
def comment(request, number: str, *, pages: CasePages) -> HttpResponse:
    case = pages.case(request, number)
    return case_comment_submit(request, render_detail=detail_renderer(request, pages, case),
                               success_url=pages.case_url(number),
                               comment=lambda text: case_comment(case=case, actor=request.user, text=text))


@role_required(*ANY_ROLE)
@posted_to_the_case
def upload(request, number: str, *, pages: CasePages) -> HttpResponse:
    """A file for the case: a complaint's evidence, a written proposal's scan, the unit's study."""
    case = pages.case(request, number)
    return case_attachment_submit(request, case=case, success_url=pages.case_url(number),
                                  render_detail=detail_renderer(request, pages, case))


@role_required(*ANY_ROLE)
def attachment(request, number: str, pk: int, *, pages: CasePages) -> HttpResponse:
    return case_attachment_file(case=pages.case(request, number), pk=pk)


@role_required(*DESK)
def intake(request, *, pages: CasePages) -> HttpResponse:
    """The intake page: the customer (found again by phone, or new) and the case in one transaction,
    so a refused registration leaves no new customer behind. What a kind's intake decides beyond its
    fields (a complaint's severity, major flag and class) is its register service's."""
    if pages.intake_form is None or pages.register is None:
        raise Http404
    form = pages.intake_form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                customer = customer_find_or_create(**form.customer_details())
                case = pages.register(actor=request.user, customer=customer, **form.case_details())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, pages.registered % {"number": case.number})
            return redirect(f"{pages.namespace}:detail", number=case.number)
    return render(request, f"{pages.namespace}/intake.html", {"form": form}, status=400 if form.errors else 200)
