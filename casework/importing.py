"""All-or-nothing imports (SPEC §8): every row is validated by a form first (the preview,
with per-row errors); only a file without errors is written, in one transaction."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

from django import forms
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .models import Customer, ResponsibleUnit
from .personal_data import mask_phone
from .phones import PhoneFormField
from .services import customers_find_or_create_many
from .tabular import Table, read_table

# How Chinese hotline systems name customer tiers in their exports.
TIER_NAMES = {"重点": "key", "重点客户": "key", "vip": "key", "普通": "ordinary", "普通客户": "ordinary",
              "潜在": "potential", "潜在客户": "potential"}
DATETIME_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
                    "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d", "%Y/%m/%d"]
# What LocalDateTimeField reads: DATETIME_FORMATS (a date and, optionally, hours, minutes and seconds).
DATETIME_PATTERN = re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?")


def choice_lookup(choices) -> dict[str, str]:
    """Accept a choice by its code, its English label or its Chinese label."""
    lookup = {}
    for value, label in choices:
        lookup[str(value).lower()] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                lookup[str(label).strip().lower()] = value
    return lookup


class LookupChoiceField(forms.ChoiceField):
    """A choice given by code, by label (English or Chinese) or by a name other systems use."""

    def to_python(self, value):
        value = super().to_python(value).strip()
        return self._lookup.get(value.lower(), value)

    def __init__(self, *, choices, aliases: dict[str, str] | None = None, **kwargs):
        super().__init__(choices=choices, **kwargs)
        self._lookup = choice_lookup(choices) | {k.lower(): v for k, v in (aliases or {}).items()}


class LocalDateTimeField(forms.DateTimeField):
    """Times in the file are Beijing time, in the formats Excel and other systems write."""

    input_formats = DATETIME_FORMATS

    def to_python(self, value):
        value = (value or "").strip()
        if value in self.empty_values:
            return None
        # DATETIME_FORMATS as one pattern: strptime over each format in turn recompiled its patterns
        # for nearly every cell (its cache holds five), most of a large import's time.
        match = DATETIME_PATTERN.fullmatch(value)
        if match:
            try:
                year, _sep, *rest = match.groups(default="0")
                naive = datetime(int(year), *(int(part) for part in rest))  # noqa: DTZ001 — made aware next
            except ValueError:
                pass
            else:
                # The project's zone, read once (make_aware asks for the current zone every call).
                return timezone.make_aware(naive, timezone.get_default_timezone())
        raise forms.ValidationError(_("Enter a time like 2026-10-08 09:30."), code="invalid")


@dataclass
class RowError:
    line: int
    messages: list[str]


SAMPLE_ROWS = 20
WRITE_CHUNK = 2000
MAX_ERRORS_KEPT = 1000

Progress = Callable[..., None]  # called with read=, checked= and written= counts as the work goes on


@dataclass
class ImportPreview:
    row_count: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first MAX_ERRORS_KEPT
    sample: list[dict] = field(default_factory=list)
    # What is worth a look but imports as it is (a known phone under another name): the first MAX_ERRORS_KEPT.
    warning_count: int = 0
    warnings: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add(self, line: int, cleaned: dict | None, errors: list[str], warnings: list[str]) -> None:
        self.row_count += 1
        if warnings:
            self.warning_count += 1
            if len(self.warnings) < MAX_ERRORS_KEPT:
                self.warnings.append(RowError(line=line, messages=warnings))
        if errors:
            self.error_count += 1
            if len(self.errors) < MAX_ERRORS_KEPT:
                self.errors.append(RowError(line=line, messages=errors))
        elif len(self.sample) < SAMPLE_ROWS:
            self.sample.append(cleaned or {})


class _RollBack(Exception):
    """A row failed while writing (the data changed since the preview): nothing of the file stays."""


CheckedRow = tuple[int, dict | None, list[str], list[str]]  # line, cleaned row (None: errors), errors, warnings


def _no_progress(**counts) -> None:
    pass


class Importer:
    """One kind of record: its columns (with the header texts that name them) and its row form.
    The file is read a chunk of rows at a time — to check it, then again to write it — so memory
    does not grow with it."""

    kind: str
    label: str
    columns: dict[str, list[str]]
    row_form: type[forms.Form]

    def check_row(self, cleaned: dict) -> list[str]:
        """Rules across a row's columns (a closed row needs its closure time): its errors."""
        return []

    def check_chunk(self, rows: list[tuple[int, dict]]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
        """Checks that ask the database, for a chunk of valid rows at once (a unit code, a known phone):
        (errors, warnings) by line. It may complete the cleaned rows (the unit found by its code)."""
        return {}, {}

    def _clean(self, row: dict) -> tuple[dict, list[str]]:
        """Clean a row with the row form's fields. The fields are used directly, not through a form
        instance per row: building a form deep-copies every field, most of an import's time."""
        cleaned, messages = {}, []
        for name, form_field in self.row_form.base_fields.items():
            try:
                cleaned[name] = form_field.clean(row.get(name, ""))
            except forms.ValidationError as error:
                messages.append(f"{form_field.label}: {' '.join(error.messages)}")
        if not messages:
            messages = [str(m) for m in self.check_row(cleaned)]
        return cleaned, messages

    def _checked(self, table: Table, progress: Progress, read: int = 0):
        """Chunks of checked rows: each a list of CheckedRow."""
        rows = table.rows()
        while True:
            chunk = list(islice(rows, WRITE_CHUNK))
            if not chunk:
                return
            read += len(chunk)
            progress(read=read)
            results = [(line, *self._clean(row)) for line, row in chunk]
            errors, warnings = self.check_chunk([(line, cleaned) for line, cleaned, messages in results
                                                 if not messages])
            yield [(line, None if (messages or errors.get(line)) else cleaned,
                    messages or [str(m) for m in errors.get(line, [])], [str(m) for m in warnings.get(line, [])])
                   for line, cleaned, messages in results]

    def preview(self, raw: bytes, filename: str, *, progress: Progress = _no_progress) -> ImportPreview:
        preview = ImportPreview()
        for chunk in self._checked(read_table(raw, filename, columns=self.columns), progress):
            for row in chunk:
                preview.add(*row)
            progress(checked=preview.row_count)
        return preview

    def write(self, *, rows: list[dict], actor) -> int:
        raise NotImplementedError

    def run(self, raw: bytes, filename: str, *, actor, progress: Progress = _no_progress) -> tuple[ImportPreview, int]:
        """Check and write every row, a chunk at a time, in one transaction — or, if any row fails
        (the data may have changed since the preview), nothing at all."""
        preview, written = ImportPreview(), 0
        try:
            with transaction.atomic():
                for chunk in self._checked(read_table(raw, filename, columns=self.columns), progress):
                    for row in chunk:
                        preview.add(*row)
                    progress(checked=preview.row_count)
                    if preview.ok:  # after a bad row the rest is only checked, to report every error
                        written += self.write(rows=[cleaned for _, cleaned, _, _ in chunk], actor=actor)
                        progress(written=written)
                if not preview.ok:
                    raise _RollBack
        except _RollBack:
            written = 0
        return preview, written


class CaseImporter(Importer):
    """An importer of cases with their history (complaints, proposals): a `state` column among the
    importable states — each with the columns it needs and those it may have —, step times in the
    lifecycle's order, a `unit` column naming a unit by its code, and customers found by phone."""

    states: type  # the kind's State choices
    importable_states: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]
    history_fields: tuple[str, ...]  # the columns of the history, "state" first; times end in "_at"
    after: dict[str, str]  # a step's time: not before the one named
    closed_state: str
    closing_fields: tuple[str, ...]  # any of them given: the row is closed, unless it says otherwise
    default_state: str
    together: dict[str, str] = {}  # a column given needs the one named (a dispatch, its unit)

    def check_row(self, cleaned: dict) -> list[str]:
        fields = self.row_form.base_fields
        state = cleaned["state"] or (self.closed_state if any(cleaned[f] for f in self.closing_fields)
                                     else self.default_state)
        cleaned["state"] = state
        label = self.states(state).label
        if state not in self.importable_states:
            return [_("state: a case “%(state)s” cannot be imported; import it as %(states)s.")
                    % {"state": label, "states": ", ".join(str(self.states(s).label) for s in self.importable_states)}]
        needed, allowed = self.importable_states[state]
        errors = [_("%(column)s: needed for a case “%(state)s”.") % {"column": fields[name].label, "state": label}
                  for name in needed if not cleaned[name]]
        errors += [_("%(column)s: a case “%(state)s” has not got that far; leave it empty.")
                   % {"column": fields[name].label, "state": label}
                   for name in self.history_fields[1:] if cleaned[name] and name not in needed + allowed]
        times = [name for name in self.history_fields if name.endswith("_at")]
        for name, earlier in [(n, "received_at") for n in times] + list(self.after.items()):
            if cleaned[name] and cleaned[earlier] and cleaned[name] < cleaned[earlier]:
                errors.append(_("%(column)s: before %(earlier)s.")
                              % {"column": fields[name].label, "earlier": fields[earlier].label})
        if cleaned.get("closed_at"):
            errors += [_("%(column)s: after the closure.") % {"column": fields[name].label}
                       for name in times if name != "closed_at" and (cleaned[name] or cleaned["closed_at"])
                       > cleaned["closed_at"]]
        errors += [_("%(column)s: needed when %(other)s is given.")
                   % {"column": fields[name].label, "other": fields[given].label}
                   for given, name in self.together.items() if cleaned[given] and not cleaned[name]]
        return errors

    @staticmethod
    def customers_of(rows: list[dict]) -> dict[str, Customer]:
        """The rows' customers by phone, found or made in one batch."""
        return customers_find_or_create_many([
            {"name": r["customer_name"], "phone": r["customer_phone"], "organisation": r["customer_organisation"],
             "tier": r["customer_tier"]} for r in rows])

    def history_of(self, row: dict) -> dict:
        """A row's history columns for the kind's history record: an empty time or unit is None."""
        return {name: row[name] or (None if name.endswith("_at") or name == "unit" else "")
                for name in self.history_fields}

    def check_chunk(self, rows):
        """The unit codes must name units (else a row error, never a case without its unit); a phone
        already known under another name is imported under the known customer, and said so."""
        errors: dict[int, list[str]] = {}
        warnings: dict[int, list[str]] = {}
        codes = {cleaned["unit"].lower() for _, cleaned in rows if cleaned["unit"]}
        # Codes regardless of case; the units are a few hundred at most.
        units = {u.code.lower(): u for u in ResponsibleUnit.objects.all() if u.code.lower() in codes} if codes else {}
        known = dict(Customer.objects.filter(phone__in={cleaned["customer_phone"] for _, cleaned in rows})
                     .order_by("-pk").values_list("phone", "name"))  # the lowest pk wins, as when writing
        for line, cleaned in rows:
            code = cleaned["unit"]
            if code:
                cleaned["unit"] = units.get(code.lower())
                if cleaned["unit"] is None:
                    errors[line] = [_("unit code: no unit has the code “%(code)s”.") % {"code": code}]
            name = known.get(cleaned["customer_phone"])
            if name is not None and name != cleaned["customer_name"]:
                warnings[line] = [_("The phone %(phone)s belongs to the customer %(known)s; this row names "
                                    "%(name)s. The case is filed under %(known)s.")
                                  % {"phone": mask_phone(cleaned["customer_phone"]), "known": name,
                                     "name": cleaned["customer_name"]}]
        return errors, warnings


# kind → importer: customers below, and each case kind's importer given to casework.case_kinds.register_case_kind.
IMPORTERS: dict[str, Importer] = {}


def register_importer(importer: Importer) -> None:
    IMPORTERS[importer.kind] = importer


class CustomerRowForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    phone = PhoneFormField(label=_("phone"))
    organisation = forms.CharField(label=_("organisation"), max_length=200, required=False)
    email = forms.EmailField(label=_("e-mail"), required=False)
    tier = LookupChoiceField(label=_("tier"), choices=Customer.Tier.choices, required=False, aliases=TIER_NAMES)


class CustomerImporter(Importer):
    kind = "customers"
    label = _("Customers")
    columns = {
        "name": ["姓名", "客户名称", "客户姓名"],
        "phone": ["电话", "联系电话", "手机", "手机号"],
        "organisation": ["单位", "公司", "单位名称"],
        "email": ["邮箱", "电子邮件", "e-mail"],
        "tier": ["客户类别", "客户等级", "类别"],
    }
    row_form = CustomerRowForm

    def write(self, *, rows, actor) -> int:
        customers_find_or_create_many(rows)
        return len(rows)


register_importer(CustomerImporter())
