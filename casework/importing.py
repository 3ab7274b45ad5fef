"""All-or-nothing imports (SPEC §8): every row is validated by a form first (the preview,
with per-row errors); only a file without errors is written, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django import forms
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .models import Customer, phone_validator
from .services import customer_find_or_create
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


@dataclass
class ImportPreview:
    table: Table
    cleaned: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class Importer:
    """One kind of record: its columns (with the header texts that name them) and its row form."""

    kind: str
    label: str
    columns: dict[str, list[str]]
    row_form: type[forms.Form]

    def preview(self, raw: bytes, filename: str) -> ImportPreview:
        preview = ImportPreview(table=read_table(raw, filename, columns=self.columns))
        for index, row in enumerate(preview.table.rows):
            form = self.row_form(row)
            if form.is_valid():
                preview.cleaned.append(form.cleaned_data)
            else:
                messages = [f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}".lstrip(": ")
                            for f, e in form.errors.items()]
                preview.errors.append(RowError(line=index + 2, messages=messages))
        return preview

    def write(self, *, rows: list[dict], actor) -> int:
        raise NotImplementedError

    def run(self, raw: bytes, filename: str, *, actor) -> tuple[ImportPreview, int]:
        """Validate everything, then write everything or nothing."""
        preview = self.preview(raw, filename)
        if not preview.ok:
            return preview, 0
        with transaction.atomic():
            return preview, self.write(rows=preview.cleaned, actor=actor)


# kind → importer, filled by each app (complaints registers its own in AppConfig.ready).
IMPORTERS: dict[str, Importer] = {}


def register_importer(importer: Importer) -> None:
    IMPORTERS[importer.kind] = importer


class CustomerRowForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    phone = forms.CharField(label=_("phone"), max_length=32, validators=[phone_validator])
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
        for row in rows:
            customer_find_or_create(**row)
        return len(rows)


register_importer(CustomerImporter())
