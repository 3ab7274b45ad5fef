"""Every page the URL resolver knows, filled with real objects, and the forms and links on them.

Nothing here lists the pages by hand: they come from `get_resolver()`, so a new URL is fuzzed
as soon as it exists. Only a URL *parameter* needs to be taught here (`real_fills`): a pattern
with a parameter nobody knows how to fill fails the test, rather than being skipped."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urljoin, urlsplit

from django.contrib import admin
from django.contrib.admin.options import ModelAdmin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from casework.models import Customer, ImportJob, Notification, ResponsibleUnit
from complaints.workflow import WORKFLOW as COMPLAINT_WORKFLOW
from proposals.workflow import WORKFLOW as PROPOSAL_WORKFLOW
from satisfaction.models import SurveyCampaign, SurveyTemplate
from satisfaction.workflow import WORKFLOW as SURVEY_WORKFLOW

# <conv:name> in a route; (?P<name>…) in a regex (the admin's two regex patterns have no nested groups).
ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<regex>[^()]*)\)")


@dataclass(frozen=True)
class Route:
    """One URL pattern: its pieces (one per resolver level), its name and what serves it."""

    pieces: tuple  # RoutePattern / RegexPattern, outermost first
    name: str  # "namespace:name"; the route itself stands in for the name of an unnamed pattern
    namespace: str
    callback: object

    @property
    def template(self) -> str:
        return "".join(str(p) for p in self.pieces)

    @property
    def section(self) -> str:
        """The test that fuzzes this route: the first path segment, or the admin's app."""
        parts = [part for part in re.split(r"/", self.template) if part]
        if parts and parts[0] == "admin" and len(parts) > 2 and not parts[1].startswith(("^", "(", "<")):
            return f"admin/{parts[1]}"
        head = parts[0] if parts and not parts[0].startswith(("<", "^", "(")) else ""
        return head or "(root)"

    def params(self) -> dict[str, str]:
        """Parameter name → the regex its value must match."""
        found = {}
        for piece in self.pieces:
            if isinstance(piece, RoutePattern):
                for name, converter in piece.converters.items():
                    found[name] = converter.regex
            elif isinstance(piece, RegexPattern):
                for match in REGEX_GROUP.finditer(str(piece)):
                    found[match["name"]] = match["regex"]
            else:  # LocalePrefixPattern or a new kind: teach build_path about it
                raise TypeError(f"{self.template}: unknown pattern type {type(piece).__name__}")
        return found

    def build_path(self, values: dict[str, str]) -> str:
        """The URL path with each parameter replaced by its (percent-encoded) value."""
        out = "/"
        for piece in self.pieces:
            text = str(piece)
            if isinstance(piece, RoutePattern):
                text = ROUTE_PARAM.sub(lambda m: _encode(values[m["name"]], m["converter"] == "path"), text)
            else:
                text = REGEX_GROUP.sub(lambda m: _encode(values[m["name"]], "/" in m["regex"] or "." in m["regex"]),
                                       text).lstrip("^").rstrip("$")
            out += text
        return out

    @property
    def model_admin(self) -> ModelAdmin | None:
        """The ModelAdmin behind an admin page (the admin wraps its views, so look inside)."""
        callback = self.callback
        for _ in range(5):
            if isinstance(getattr(callback, "model_admin", None), ModelAdmin):
                return callback.model_admin
            if isinstance(getattr(callback, "__self__", None), ModelAdmin):
                return callback.__self__
            callback = getattr(callback, "__wrapped__", None)
            if callback is None:
                return None
        return None


def _encode(value: str, slashes_allowed: bool) -> str:
    return quote(value, safe="/" if slashes_allowed else "")


def all_routes() -> list[Route]:
    """Every URL pattern, walking includes (and the admin's per-model URLs) recursively."""
    routes = []

    def walk(patterns, pieces, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, (*pieces, pattern.pattern),
                     ":".join(n for n in (namespace, pattern.namespace) if n))
            elif isinstance(pattern, URLPattern):
                all_pieces = (*pieces, pattern.pattern)
                name = pattern.name or "".join(str(p) for p in all_pieces)
                routes.append(Route(pieces=all_pieces, name=f"{namespace}:{name}" if namespace else name,
                                    namespace=namespace, callback=pattern.callback))

    walk(get_resolver().url_patterns, (), "")
    return routes


class UnfillableRoute(Exception):
    pass


def real_fills(route: Route, scene) -> list[dict[str, str]]:
    """Values of the route's parameters that name real objects (each a dict: parameter → value).

    A parameter not taught here raises UnfillableRoute: the test must learn what the new
    URL is about before it can say the page never fails."""
    params = set(route.params())
    if not params:
        return [{}]
    cases = {"complaints": (scene.complaints, COMPLAINT_WORKFLOW.steps),
             "proposals": (scene.proposals, PROPOSAL_WORKFLOW.steps),
             "satisfaction": (scene.surveys, SURVEY_WORKFLOW.steps)}
    if route.namespace in cases:
        records, actions = cases[route.namespace]
        if params == {"number"}:
            return [{"number": c.number} for c in records]
        if params == {"number", "action"}:
            # Every action on every case: most are refused (wrong state or role), which is the point.
            return [{"number": c.number, "action": a} for c in records for a in actions]
        if params == {"number", "pk"}:
            attachments = scene.attachments[route.namespace]
            owner = {a.case_id: c.number for c in records for a in attachments if a.case_id == c.pk}
            # The attachment under its own case, and under a case it does not belong to.
            return [{"number": owner[a.case_id], "pk": str(a.pk)} for a in attachments] + [
                {"number": records[0].number, "pk": str(a.pk)} for a in attachments]
    by_pk = {"casework:customer": Customer, "casework:unit": ResponsibleUnit, "casework:notification": Notification,
             "casework:import_job": ImportJob, "casework:import_job_confirm": ImportJob,
             "satisfaction:campaign": SurveyCampaign, "survey_planning:detail": SurveyCampaign,
             "survey_planning:drop": SurveyCampaign, "survey_planning:approve": SurveyCampaign,
             "survey_planning:template_revise": SurveyTemplate}
    if route.name in ("captcha-image", "captcha-image-2x", "captcha-audio") and params == {"key"}:
        return [{"key": key} for key in scene.captcha_keys]
    if route.name == "survey_link:answer" and params == {"token"}:
        return [{"token": token} for token in scene.survey_links]
    if route.name == "portal:thanks" and params == {"token"}:
        # The portal's signed thank-you links: a real complaint's, a real proposal's, a forged one.
        from django.core import signing

        from portal.views import THANKS_SALT
        signed = [signing.dumps({"kind": kind, "number": case.number}, salt=THANKS_SALT)
                  for kind, case in (("complaint", scene.complaints[0]), ("proposal", scene.proposals[0]))]
        return [{"token": token} for token in [*signed, signed[0][:-3] + "xyz"]]
    if route.name in by_pk and params == {"pk"}:
        return [{"pk": str(pk)} for pk in by_pk[route.name].objects.order_by("pk").values_list("pk", flat=True)]
    model_admin = route.model_admin
    if model_admin is not None and len(params) == 1 and params <= {"object_id", "id"}:
        (param,) = params
        objects = scene.objects_of(model_admin.model)
        if not objects:
            raise UnfillableRoute(f"{route.template}: the scene has no {model_admin.model.__name__} to show")
        return [{param: str(obj.pk)} for obj in objects]
    if route.name == "admin:view_on_site" and params == {"content_type_id", "object_id"}:
        fills = []
        for model in admin.site._registry:
            for obj in scene.objects_of(model)[:1]:
                fills.append({"content_type_id": str(ContentType.objects.get_for_model(model).pk),
                              "object_id": str(obj.pk)})
        return fills
    if route.name == "admin:app_list" and params == {"app_label"}:
        return [{"app_label": label} for label in sorted({m._meta.app_label for m in admin.site._registry})]
    if route.namespace == "admin" and params == {"url"}:  # the admin's catch-all: anything else under /admin/
        return [{"url": "casework/"}, {"url": "casework/customer/1"}, {"url": "nothing/here/"}]
    raise UnfillableRoute(f"{route.template} ({route.name}): no filler for parameters {sorted(params)}")


# --- the HTML side: forms and links --------------------------------------------------------------------------

@dataclass
class Field:
    name: str
    kind: str  # input type ("text", "date", "file", "hidden", …), "select" or "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    method: str  # "get" or "post"
    action: str  # absolute path with query, as the browser would send it
    fields: list[Field] = field(default_factory=list)

    @property
    def path(self) -> str:
        return urlsplit(self.action).path


class _PageParser(HTMLParser):
    """The forms (with their fields) and the link targets of one page."""

    def __init__(self, base: str):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.base, a["href"]))
        elif tag == "form":
            self._form = Form(method=(a.get("method") or "get").lower(), action=urljoin(self.base, a.get("action", "")))
            self.forms.append(self._form)
        elif self._form is None or "name" not in a:
            if tag == "option" and self._select is not None:
                self._select.options.append(a.get("value", ""))
                # What the browser sends untouched: the selected option, else the first.
                if "selected" in a or len(self._select.options) == 1:
                    self._select.value = a.get("value", "")
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset") and not a.get("name"):
                return
            if kind in ("checkbox", "radio"):
                value = a.get("value", "on")
                existing = next((f for f in self._form.fields if f.name == a["name"] and f.kind == kind), None)
                if existing is not None:
                    existing.options.append(value)
                    return
                self._form.fields.append(Field(a["name"], kind, value if "checked" in a else "", options=[value]))
                return
            # The admin's date and time inputs are text inputs with a class saying what they hold.
            classes = a.get("class", "").split()
            kind = "date" if "vDateField" in classes else "time" if "vTimeField" in classes else kind
            self._form.fields.append(Field(a["name"], kind, a.get("value", "")))
        elif tag == "select":
            self._select = Field(a["name"], "select", multiple="multiple" in a)
            self._form.fields.append(self._select)
        elif tag == "textarea":
            self._textarea = Field(a["name"], "textarea")
            self._form.fields.append(self._textarea)
        elif tag == "button" and a.get("name"):
            self._form.fields.append(Field(a["name"], "submit", a.get("value", "")))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            # A newline right after <textarea> is not part of the value (HTML spec); Django writes one.
            self._textarea.value = self._textarea.value.removeprefix("\r").removeprefix("\n")
            self._textarea = None


def parse_page(html: str, url: str) -> tuple[list[Form], list[str]]:
    parser = _PageParser(url)
    parser.feed(html)
    parser.close()
    return parser.forms, parser.links


def link_query(link: str) -> tuple[str, list[tuple[str, str]]]:
    parts = urlsplit(link)
    return parts.path, parse_qsl(parts.query, keep_blank_values=True)
