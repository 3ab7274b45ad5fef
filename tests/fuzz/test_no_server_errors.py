"""Issue 8: generated values posted to every form and query parameter of every page, as every
role, never get a 5xx.

How: build a scene (cases in every state, …), find every page in the URL resolver and fill its
parameters with the scene's objects, GET each page as each role and read its forms and links,
then for each (role, page)
  1. try every field and query parameter alone with a few edge values (dates at 0001 and 9999,
     NUL, 100k characters, a CSV cell past the csv module's limit…), and
  2. let hypothesis generate further requests (@given on a helper, run once per role and page).
Every request runs in a transaction that is rolled back, so no example sees another's writes.
A 5xx anywhere fails the test with every failing request, grouped by where it broke."""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field

import pytest
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Flaky

from . import values
from .harness import Request, Sender, ServerError
from .pages import Form, Route, UnfillableRoute, all_routes, link_query, parse_page, real_fills
from .scene import build_scene

ROLES = ["anonymous", "nobody", "agent", "handler_a", "handler_b", "manager", "admin"]

# Query parameters the views read (grep request.GET) or Django's admin and auth views read,
# tried on every page whether or not a form on it names them; value: a value they normally hold.
KNOWN_QUERY = {"page": "2", "q": "张", "state": "open", "unit": "1", "category": "price", "priority": "urgent",
               "mine": "on", "month": "2026-05", "quarter": "2026-Q2", "year": "2026", "half": "2026-H1",
               "format": "csv", "sort": "received_at", "next": "/complaints/"}
KNOWN_ADMIN_QUERY = {"p": "1", "e": "1", "_popup": "1", "_to_field": "id", "_changelist_filters": "state__exact=closed"}

RANDOM_EXAMPLES_INSIDE = 8  # per (role, page) the role may use
RANDOM_EXAMPLES_ADMIN = 4  # Django's own pages, on our models: the edges above do most of the work
RANDOM_EXAMPLES_OUTSIDE = 1  # per (role, page) the role is turned away from
CRAWLED_PER_ROUTE = 12


@dataclass
class PageInfo:
    """What the crawl learnt about one route: real paths, the forms that post to it, its query parameters."""

    route: Route
    fills: list[dict[str, str]]
    forms: dict[tuple, Form] = field(default_factory=dict)  # POST forms by shape
    form_roles: dict[tuple, set[str]] = field(default_factory=lambda: defaultdict(set))  # shape → roles who saw it
    query: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # name → values seen
    inside: set[str] = field(default_factory=set)  # roles that got a 2xx page here
    typed: set[str] = field(default_factory=set)  # query parameters typed into a text box (searches)

    @property
    def paths(self) -> list[str]:
        return [self.route.build_path(fill) for fill in self.fills]

    def query_names(self, swept=False) -> dict[str, list[str]]:
        """Parameter → values it normally holds: those the pages use, and the known ones (the
        admin's are left to hypothesis: sweeping them on a hundred admin pages costs half a minute)."""
        known = KNOWN_ADMIN_QUERY if self.route.namespace == "admin" else KNOWN_QUERY
        merged = {name: [value] for name, value in known.items() if not (swept and known is KNOWN_ADMIN_QUERY)}
        for name, seen in self.query.items():
            merged.setdefault(name, [])
            merged[name] = sorted(set(merged[name] + seen))[:5]
        return merged


# --- the crawl --------------------------------------------------------------------------------------------------

def _route_of(path: str, by_route: dict[str, PageInfo]) -> PageInfo | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return by_route.get(re.sub(r"(?<=/)\^", "", match.route)) or by_route.get(match.route)


def _to_login(response) -> bool:
    return response.status_code in (301, 302) and "/login/" in response.get("Location", "")


def crawl(sender: Sender, pages: list[PageInfo]) -> None:
    """GET every real page as every role; collect the forms and links each one shows."""
    by_route = {re.sub(r"(?<=/)\^", "", page.route.template): page for page in pages}
    for page in pages:
        paths = page.paths
        # Every action on every case is many pages that all answer 405 to a GET: a dozen of them will do.
        for path in paths[:: max(1, len(paths) // CRAWLED_PER_ROUTE)]:
            for role in ROLES:
                response = sender.record(Request(role, "get", path))
                if response is None or response.status_code >= 400 or _to_login(response):
                    continue
                page.inside.add(role)
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                forms, links = parse_page(response.content.decode(errors="replace"), path)
                for form in forms:
                    target = _route_of(form.path, by_route)
                    if target is None:
                        continue
                    if form.method == "post":
                        # One form per shape: the comment form of sixteen cases is one form to fuzz.
                        shape = (target.route.template, tuple(sorted((f.name, f.kind) for f in form.fields)))
                        target.forms.setdefault(shape, form)
                        target.form_roles[shape].add(role)
                    else:
                        for f in form.fields:
                            target.query[f.name] += [v for v in [f.value, *f.options] if v][:3]
                            if f.kind in values.TEXT_KINDS:
                                target.typed.add(f.name)
                for link in links:
                    link_path, pairs = link_query(link)
                    target = _route_of(link_path, by_route) if link_path.startswith("/") else None
                    for name, value in pairs if target else ():
                        target.query[name].append(value)


# --- step 1: edges, one field or parameter at a time ------------------------------------------------------------

def plausible_body(form: Form) -> list[tuple[str, object]]:
    return [(f.name, values.plausible_value(f)) for f in form.fields if f.kind != "checkbox" or f.value]


def _split(role, path, body) -> Request:
    params = tuple((k, v) for k, v in body if not isinstance(v, tuple))
    files = tuple((k, v[0], v[1]) for k, v in body if isinstance(v, tuple))
    return Request(role, "post", path, params, files)


def _sweeper(roles) -> str | None:
    """Who tries the edges of a form or a page's query: the most trusted role that uses it (the
    others are fuzzed by hypothesis only; an edge sweep per role would cost minutes)."""
    return next((role for role in reversed(ROLES) if role in roles), None)


def edge_requests(role: str, page: PageInfo) -> list[Request]:
    requests = []
    # Path parameters: real values were crawled; here the worst a converter lets through, as
    # someone the page serves and as someone it turns away.
    users = page.inside.union(*page.form_roles.values())
    for name, regex in page.route.params().items() if role in ("anonymous", _sweeper(users)) else ():
        for edge in ["\x00", "x" * 300, "99999999999999999999"]:
            if re.fullmatch(regex, edge):
                requests.append(Request(role, "get", page.route.build_path({**page.fills[0], name: edge})))
    if role == _sweeper(page.inside):
        names = page.query_names(swept=True)
        requests.append(Request(role, "get", page.paths[0], (("no_such_parameter", "1"), ("", ""))))
        # Every parameter twice: request.GET.get takes the last, a form's getlist all of them.
        requests.append(Request(role, "get", page.paths[0],
                                tuple((name, value) for name, seen in names.items() for value in (seen or ["1"]) * 2)))
        for name, seen in names.items():
            for edge in values.query_edges(seen, typed=name in page.typed):
                requests.append(Request(role, "get", page.paths[0], ((name, edge),)))
    for shape, form in page.forms.items():
        if role != _sweeper(page.form_roles[shape]):
            continue
        body = plausible_body(form)
        requests.append(_split(role, form.action, body))
        requests.append(_split(role, form.action, body + body))  # every field twice
        # Free text is tried in every text field at once (a form validates each field alone);
        # dates, numbers, choices and files, whose conversion can fail, one field at a time.
        texts = {f.name for f in form.fields if f.kind in values.TEXT_KINDS}
        for edge in values.edges(values.TEXT):
            requests.append(_split(role, form.action, [(k, edge if k in texts else v) for k, v in body]))
        for f in form.fields:
            if f.name in texts or f.name == "csrfmiddlewaretoken":  # CSRF is not enforced here
                continue
            for edge in values.edges(f):
                changed = [(k, v) for k, v in body if k != f.name] + [(f.name, edge)]
                requests.append(_split(role, form.action, changed))
    return requests


# --- step 2: generated requests --------------------------------------------------------------------------------

@st.composite
def generated_requests(draw, role: str, page: PageInfo) -> Request:
    route = page.route
    fill = draw(st.sampled_from(page.fills))
    if route.params() and draw(st.integers(0, 4)) == 0:  # now and then a made-up object in the path
        name, regex = draw(st.sampled_from(sorted(route.params().items())))
        fill = {**fill, name: draw(st.from_regex(regex, fullmatch=True))}
    path = route.build_path(fill)
    forms = list(page.forms.values())
    if forms and draw(st.booleans()):
        form = draw(st.sampled_from(forms))
        action = form.action if draw(st.integers(0, 3)) else path
        fields = form.fields
        mode = draw(st.sampled_from(["one bad field", "all plausible", "all hostile", "each either"]))
        bad = draw(st.integers(0, max(len(fields) - 1, 0)))
        body = []
        for index, f in enumerate(fields):
            hostile = mode == "all hostile" or (mode == "one bad field" and index == bad) or (
                mode == "each either" and draw(st.booleans()))
            value = draw(values.hostile(f) if hostile else values.plausible(f))
            if value == "" and f.kind == "checkbox":
                continue  # an unticked box is not sent at all
            body.append((f.name, value))
        body += draw(st.lists(st.tuples(st.sampled_from([f.name for f in fields] or ["x"]) | values.any_text,
                                        values.nasty), max_size=2))  # repeated and unexpected keys
        return _split(role, action, body)
    method = draw(st.sampled_from(["get", "get", "post"]))
    names = page.query_names()
    known = st.sampled_from(sorted(names))
    chosen = draw(st.lists(st.one_of(known, known, known, values.any_text), min_size=1, max_size=4))
    pairs = tuple((name, draw(st.sampled_from(names[name]) | values.nasty if names.get(name) else values.nasty))
                  for name in chosen)
    return Request(role, method, path, pairs)


def fuzz_page(sender: Sender, role: str, page: PageInfo) -> None:
    """Hypothesis generates requests to one page as one role; the shrunk failures are recorded."""
    inside = role in page.inside or any(role in roles for roles in page.form_roles.values())
    examples = RANDOM_EXAMPLES_OUTSIDE
    if inside:
        examples = RANDOM_EXAMPLES_ADMIN if page.route.namespace == "admin" else RANDOM_EXAMPLES_INSIDE

    @settings(max_examples=examples, deadline=None,
              derandomize=True, database=None, report_multiple_bugs=True, print_blob=False,
              phases=[Phase.generate, Phase.shrink], suppress_health_check=list(HealthCheck))
    @given(generated_requests(role, page))
    def page_never_fails(request):
        sender.check(request)

    try:
        page_never_fails()
    except ServerError as failure:
        sender.failures.append(failure)
    except (BaseExceptionGroup, Flaky) as group:
        errors = group.exceptions if isinstance(group, BaseExceptionGroup) else [group]
        sender.failures += [e for e in errors if isinstance(e, ServerError)]
        if not all(isinstance(e, ServerError) for e in errors):
            raise


# --- the tests -------------------------------------------------------------------------------------------------

@pytest.fixture
def scene(db, monkeypatch):
    # /healthz answers 503 when the Celery broker is down, as it should; the broker is not under test here.
    monkeypatch.setattr("config.health._broker", lambda: "ok")
    # Thousands of 4xx would each log a warning; the 5xx are collected below, not read from logs.
    for name in ("django.request", "django.security"):
        logger = logging.getLogger(name)
        monkeypatch.setattr(logger, "level", logging.CRITICAL + 1)
    logging.getLogger().manager._clear_cache()
    yield build_scene()
    logging.getLogger().manager._clear_cache()


def _sender(scene) -> Sender:
    from django.test import Client

    sessions = {}
    for role, user in scene.users.items():
        if user is None:
            sessions[role] = None
            continue
        client = Client()
        client.force_login(user)
        sessions[role] = client.session.session_key
    return Sender(sessions=sessions)


def test_every_url_parameter_can_be_filled(scene):
    """A new URL with a parameter this test cannot fill must be taught here (pages.real_fills)."""
    problems = []
    for route in all_routes():
        try:
            if not real_fills(route, scene):
                problems.append(f"{route.template}: no objects to fill it with")
        except UnfillableRoute as error:
            problems.append(str(error))
    assert not problems, "\n".join(problems)


def test_no_page_answers_a_server_error(scene):
    pages = [PageInfo(route, real_fills(route, scene)) for route in all_routes()]
    sender = _sender(scene)
    crawl(sender, pages)
    for page in pages:
        for role in ROLES:
            for request in edge_requests(role, page):
                sender.record(request)
            fuzz_page(sender, role, page)
    if sender.failures:
        pytest.fail(report(sender), pytrace=False)


def report(sender: Sender) -> str:
    groups = defaultdict(list)
    for failure in sender.failures:
        groups[(failure.what.split(":")[0], failure.where)].append(failure)
    lines = [f"{len(sender.failures)} of {sender.sent} requests got a 5xx, in {len(groups)} places:"]
    for (kind, where), failures in sorted(groups.items(), key=lambda item: -len(item[1])):
        lines.append(f"\n{kind} at {where} ({len(failures)} requests), e.g. {failures[0].what}")
        for failure in failures[:12]:
            lines.append(f"    {failure.status} {failure.request!r}")
        if len(failures) > 12:
            lines.append(f"    … and {len(failures) - 12} more")
    return "\n".join(lines)
