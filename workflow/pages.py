"""The pages every case kind has, written once: the queue, a case's page, its actions, comments and
files. Each case app describes itself in a `CasePages` and maps its URLs here (`CasePages.urls`);
the pages only its kind has (a complaint's approvals, say) stay in the app and use the same pieces."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from casework.case_views import case_attachment_file, case_attachment_submit, case_comment_submit
from casework.decorators import role_required
from casework.errors import CallerRefused
from casework.forms import AttachmentForm, BulkActionForm, CommentForm, units_read_once
from casework.pagination import COUNT_CAP, SEARCH_COUNT_CAP, CappedPaginator
from casework.personal_data import may_see_unmasked
from casework.roles import Role, is_service_desk
from casework.services import case_attachments, case_register_for_caller, case_timeline
from sla.selectors import attach_next_deadlines
from sla.services import case_milestones

from . import bulk_actions, exports
from .act import case_comment
from .policy import can_take_part
from .selectors import CASE_NUMBER, DEADLINE, case_rows, case_sorted
from .steps import Workflow
from .views import case_action_submit

ANY_ROLE = (Role.AGENT, Role.HANDLER, Role.MANAGER)
DESK = (Role.AGENT, Role.MANAGER)
# Who may open a case's page and its files: an administrator too, read-only (workflow.policy):
# the level-3 escalations tell them of cases, and a notice must open.
READERS = (*ANY_ROLE, Role.ADMIN)


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
    # The queue as a file (`export/`): the kind's columns after workflow.exports.COMMON_COLUMNS;
    # None: no export.
    export_columns: tuple[exports.Column, ...] | None = None
    # What the export's columns read beyond the customer and unit, loaded with the rows (no query a row).
    export_related: tuple[str, ...] = ()
    # Actions on several ticked cases at once (`bulk/`), for whom `can_act_in_bulk` (the kind's
    # policy) allows; `find_by_numbers(user=, numbers=)` reads the ticked cases the person may see.
    bulk_actions: tuple[bulk_actions.BulkAction, ...] = ()
    can_act_in_bulk: Callable[[Any], bool] = lambda user: False
    find_by_numbers: Callable[..., list[Any]] | None = None

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
            *([path("export/", export, kind, name="export")] if self.export_columns is not None else []),
            *([path("bulk/", bulk, kind, name="bulk")] if self.bulk_actions else []),
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
    taking_part = can_take_part(request.user, case)
    initial = {"version": case.version, **pages.initial(case)}
    forms = {a.name: a.form(case, initial=initial, prefix=a.name) for a in actions}
    forms.update(overrides.pop("forms", {}))
    units_read_once(forms.values())
    first = pages.workflow.opens_first(case=case, actions=actions)
    context = {
        pages.model._meta.model_name: case,
        "actions": [(a, forms[a.name]) for a in actions],
        "open_action": first.name if first is not None else "",  # a form with errors overrides it
        "timeline": case_timeline(case=case),
        "milestones": case_milestones(case=case),
        "attachments": case_attachments(case=case),
        # Someone who only reads the case (an administrator) is offered no form to post.
        "comment_form": CommentForm() if taking_part else None,
        "attachment_form": AttachmentForm() if taking_part else None,
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


def queue_cases(request, pages: CasePages) -> tuple[Any, Any, Any, str]:
    """The queue's filter form, its cases (to count) and its rows (sorted, to show or export) and the
    order: open cases unless a state (or "all") is chosen; the desk's default order is the nearest
    deadline (overdue first), everyone else's the newest first."""
    params = request.GET.copy()
    params.setdefault("state", pages.filter_form.OPEN)
    form = pages.filter_form(params)
    filters = form.filters()
    cases = pages.list_cases(user=request.user, **filters)
    sort = form.sort(default=DEADLINE if is_service_desk(request.user) else "")
    # A closed (or archived) case has no running deadline: such a list in deadline order is the
    # newest first, read through the state's own index rather than past every open case's deadline.
    final = form.is_valid() and form.cleaned_data.get("state") in cases.model.FINAL_STATES
    ordered = case_sorted(case_rows(cases), sort="" if final and sort == DEADLINE else sort,
                          columns=form.sort_columns())
    return form, cases, ordered, sort


def _without(query: QueryDict, *names: str) -> str:
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@role_required(*ANY_ROLE)
def queue(request, *, pages: CasePages) -> HttpResponse:
    """The work queue: counts are capped (a search's lower), and the page's nearest deadlines are
    one query."""
    form, cases, rows, sort = queue_cases(request, pages)
    searched = form.is_valid() and bool(form.cleaned_data.get("q", "").strip())
    page = CappedPaginator(rows, settings.PAGE_SIZE, count_queryset=cases,
                           cap=SEARCH_COUNT_CAP if searched else COUNT_CAP).get_page(request.GET.get("page"))
    page.object_list = attach_next_deadlines(page.object_list)
    query = _without(request.GET, "page")
    bulk_form = None
    if pages.bulk_actions and pages.can_act_in_bulk(request.user):
        bulk_form = BulkActionForm(initial={"query": query}, **_bulk_choices(pages))
    units_read_once([form, bulk_form])
    return render(request, f"{pages.namespace}/queue.html", {
        "form": form, "page": page, "query": query, "title": pages.title, "namespace": pages.namespace,
        "searched": searched,
        "sortable": bool(form.SORTS),
        "sort": sort, "sort_query": _without(request.GET, "page", "sort"), "bulk_form": bulk_form,
        "export_query": _without(request.GET, "page", "format") if pages.export_columns is not None else None})


@role_required(*ANY_ROLE)
def export(request, *, pages: CasePages) -> HttpResponse:
    """The queue as it is filtered and sorted, as CSV or XLSX (workflow.exports); personal data
    masked unless the person may see it. Over `exports.MAX_ROWS` rows it is refused, not cut short:
    a file that silently lacks cases would be read as the whole list."""
    file_format = request.GET.get("format", "xlsx")
    if file_format not in exports.FORMATS:
        return HttpResponseBadRequest(_("Unknown file format."))
    form, cases, rows, _sort = queue_cases(request, pages)
    back = f"{reverse(f'{pages.namespace}:queue')}?{_without(request.GET, 'page', 'format')}"
    if cases.order_by()[: exports.MAX_ROWS + 1].count() > exports.MAX_ROWS:
        messages.error(request, _("More than %(count)s cases: narrow the list with the filters before exporting.")
                       % {"count": f"{exports.MAX_ROWS:,}"})
        return redirect(back)
    columns = exports.COMMON_COLUMNS + pages.export_columns
    table = exports.export_rows(rows.select_related(*pages.export_related), columns=columns,
                                unmasked=may_see_unmasked(request.user))
    name = f"closeloop-{pages.namespace}-{timezone.localtime():%Y%m%d-%H%M}.{file_format}"
    response: HttpResponse | StreamingHttpResponse
    if file_format == "csv":
        response = StreamingHttpResponse(exports.csv_stream(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.xlsx_bytes(table, title=str(pages.title)),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _bulk_choices(pages: CasePages) -> dict:
    return {"actions": [(a.name, str(a.label), a.needs_unit) for a in pages.bulk_actions],
            "max_cases": bulk_actions.MAX_CASES}


@require_POST
@role_required(*ANY_ROLE)
def bulk(request, *, pages: CasePages) -> HttpResponse:
    """One action on the cases ticked in the queue, with one reason: each case through the workflow
    in its own transaction (workflow.bulk_actions); the message lists what was done and what was
    refused, and why."""
    if not pages.can_act_in_bulk(request.user) or pages.find_by_numbers is None:
        raise PermissionDenied
    form = BulkActionForm(request.POST, **_bulk_choices(pages))
    valid = form.is_valid()
    # Back to the same list: the query is parsed and written again, so nothing else rides along.
    back = f"{reverse(f'{pages.namespace}:queue')}?{QueryDict(form.cleaned_data.get('query', '')).urlencode()}"
    if not valid:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    action = next(a for a in pages.bulk_actions if a.name == data["action"])
    cases = pages.find_by_numbers(user=request.user, numbers=data["cases"])
    outcome = bulk_actions.cases_act_in_bulk(workflow=pages.workflow, cases=cases, actor=request.user,
                                             action=action, reason=data["reason"], unit=data.get("unit"))
    found = {c.number for c in cases}
    outcome.refused += [(number, _("No such case.")) for number in data["cases"] if number not in found]
    if outcome.done:
        messages.success(request, _("%(action)s: done for %(numbers)s.")
                         % {"action": action.label, "numbers": ", ".join(outcome.done)})
    for number, why in outcome.refused:
        messages.warning(request, _("%(action)s: not done for %(number)s: %(why)s")
                         % {"action": action.label, "number": number, "why": why})
    return redirect(back)


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Phone, name, number or subject"), max_length=100, required=False)


SEARCH_SHOWN = 20


@role_required(*ANY_ROLE)
def search(request, *, kinds: tuple[CasePages, ...]) -> HttpResponse:
    """The header's search across case kinds (complaints and proposals): every case this person may
    see, open or closed, newest first, the first few of each kind with a link to its whole queue. A
    whole case number that finds one case opens it."""
    form = SearchForm(request.GET)
    text = form.cleaned_data["q"].strip() if form.is_valid() else ""
    results = []
    if text:
        for pages in kinds:
            found = list(case_rows(pages.list_cases(user=request.user, search=text))[: SEARCH_SHOWN + 1])
            results.append({
                "title": pages.title, "namespace": pages.namespace, "table": f"{pages.namespace}/_table.html",
                "cases": attach_next_deadlines(found[:SEARCH_SHOWN]), "more": len(found) > SEARCH_SHOWN,
                "queue_url": f"{reverse(f'{pages.namespace}:queue')}?{_search_query(text)}"})
        shown = [(r["namespace"], case) for r in results for case in r["cases"]]
        if len(shown) == 1 and CASE_NUMBER.fullmatch(text.upper()):
            namespace, case = shown[0]
            pages = next(p for p in kinds if p.namespace == namespace)
            return redirect(pages.case_url(case.number))
    return render(request, "casework/search.html", {"form": form, "results": results, "text": text,
                                                    "title": _("Search")}, status=400 if form.errors else 200)


def _search_query(text: str) -> str:
    query = QueryDict(mutable=True)
    query["q"] = text
    query["state"] = ""
    return query.urlencode()


@role_required(*READERS)
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
    if not can_take_part(request.user, case):  # the same rule as a comment: those who read only add nothing
        raise PermissionDenied
    return case_attachment_submit(request, case=case, success_url=pages.case_url(number),
                                  render_detail=detail_renderer(request, pages, case))


@role_required(*READERS)
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
            case = case_register_for_caller(actor=request.user, register=pages.register,
                                            caller=form.customer_details(), case=form.case_details())
        except CallerRefused as error:
            form.add_caller_errors(error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, pages.registered % {"number": case.number})
            return redirect(f"{pages.namespace}:detail", number=case.number)
    return render(request, f"{pages.namespace}/intake.html", {"form": form}, status=400 if form.errors else 200)
