"""All-or-nothing imports (SPEC §8): every row is validated by a form first (the preview,
with per-row errors); only a file without errors is written, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django import forms
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .models import Customer
from .phones import PhoneFormField
from .services import customers_find_or_create_many
from .tabular import Table, read_table

# How Chinese hotline systems name customer tiers in their exports.
TIER_NAMES = {"重点": "key", "重点客户": "key", "vip": "key", "普通": "ordinary", "普通客户": "ordinary",
              "潜在": "potential", "潜在客户": "potential"}
DATETIME_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
                    "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d", "%Y/%m/%d"]


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
        for fmt in DATETIME_FORMATS:
            try:
                naive = datetime.strptime(value, fmt)  # noqa: DTZ007 — Beijing time, made aware next
                return timezone.make_aware(naive)
            except ValueError:
                continue
        if value in self.empty_values:
            return None
        raise forms.ValidationError(_("Enter a time like 2026-10-08 09:30."), code="invalid")


@dataclass
class RowError:
    line: int
    messages: list[str]


SAMPLE_ROWS = 20
WRITE_CHUNK = 2000
MAX_ERRORS_KEPT = 1000


@dataclass
class ImportPreview:
    row_count: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first MAX_ERRORS_KEPT
    sample: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0


class Importer:
    """One kind of record: its columns (with the header texts that name them) and its row form.
    The file is read twice — validate every row, then write — so memory does not grow with it."""

    kind: str
    label: str
    columns: dict[str, list[str]]
    row_form: type[forms.Form]

    def _validated(self, table: Table):
        """Clean each row with the row form's fields. The fields are used directly, not through a
        form instance per row: building a form deep-copies every field, most of an import's time."""
        fields = self.row_form.base_fields
        for line, row in table.rows():
            cleaned, messages = {}, []
            for name, form_field in fields.items():
                try:
                    cleaned[name] = form_field.clean(row.get(name, ""))
                except forms.ValidationError as error:
                    messages.append(f"{form_field.label}: {' '.join(error.messages)}")
            yield (line, None, messages) if messages else (line, cleaned, None)

    def preview(self, raw: bytes, filename: str) -> ImportPreview:
        preview = ImportPreview()
        for line, cleaned, messages in self._validated(read_table(raw, filename, columns=self.columns)):
            preview.row_count += 1
            if messages:
                preview.error_count += 1
                if len(preview.errors) < MAX_ERRORS_KEPT:
                    preview.errors.append(RowError(line=line, messages=messages))
            elif len(preview.sample) < SAMPLE_ROWS:
                preview.sample.append(cleaned)
        return preview

    def write(self, *, rows: list[dict], actor) -> int:
        raise NotImplementedError

    def run(self, raw: bytes, filename: str, *, actor) -> tuple[ImportPreview, int]:
        """Validate everything, then write everything (a chunk at a time, one transaction) or nothing."""
        preview = self.preview(raw, filename)
        if not preview.ok:
            return preview, 0
        written = 0
        with transaction.atomic():
            chunk = []
            for _, cleaned, _ in self._validated(read_table(raw, filename, columns=self.columns)):
                chunk.append(cleaned)
                if len(chunk) >= WRITE_CHUNK:
                    written += self.write(rows=chunk, actor=actor)
                    chunk = []
            if chunk:
                written += self.write(rows=chunk, actor=actor)
        return preview, written


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
