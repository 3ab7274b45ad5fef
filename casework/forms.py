"""Form pieces every kind of case uses: the lifecycle action's version, notes, comments, files."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from functools import cached_property
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .date_bounds import validate_planned_date, validate_received_at
from .file_types import content_matches_extension
from .form_rendering import attrs_html
from .models import Attachment, Customer, ResponsibleUnit
from .phones import PhoneFormField, phone_normalise
from .selectors import CustomerOverview, customer_by_phone, customer_overview
from .services import CallerIs


class ReceivedAtMixin:
    """An intake form's `received_at`: now by default."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("received_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))


def received_at_field() -> forms.DateTimeField:
    return forms.DateTimeField(
        label=_("Received at"), validators=[validate_received_at],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class CaseIntakeForm(ReceivedAtMixin, forms.Form):
    """What every intake asks about the customer (found again by phone) and when the case came in.

    A known phone number whose record differs from what was typed asks `caller_is` (the service
    `casework.services.caller_resolve` decides and names the differences; `add_caller_errors` puts
    them on these fields). A time received more than INTAKE_CONFIRM_RECEIVED_OLDER_THAN_DAYS ago
    asks `confirm_old_receipt`."""

    customer_phone = PhoneFormField(label=_("Phone"))
    customer_name = forms.CharField(label=_("Customer name"), max_length=100)
    customer_organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    customer_email = forms.EmailField(label=_("E-mail"), required=False)
    customer_tier = forms.ChoiceField(label=_("Customer tier"), choices=Customer.Tier.choices,
                                      initial=Customer.Tier.ORDINARY)
    caller_is = forms.ChoiceField(label=_("This phone number belongs to a known customer: who is calling?"),
                                  choices=CallerIs.choices, required=False, widget=forms.RadioSelect)
    received_at = received_at_field()
    confirm_old_receipt = forms.BooleanField(label=_("Yes, the case was received at this time"), required=False)

    CUSTOMER_FIELDS = ("customer_name", "customer_phone", "customer_organisation", "customer_email", "customer_tier",
                       "caller_is")
    FORM_ONLY = ("confirm_old_receipt",)

    def clean(self):
        cleaned = super().clean()
        received = cleaned.get("received_at")
        days = settings.INTAKE_CONFIRM_RECEIVED_OLDER_THAN_DAYS
        if received and received < timezone.now() - timedelta(days=days) and not cleaned.get("confirm_old_receipt"):
            self.add_error("received_at", ValidationError(
                _("This is more than %(days)s days ago (%(date)s). Check the date, or tick the box below to "
                  "confirm it."),
                params={"days": days, "date": timezone.localtime(received).strftime("%Y-%m-%d %H:%M")},
                code="confirm_old"))
        return cleaned

    @property
    def asks_receipt_confirmation(self) -> bool:
        """Show the confirmation box: the time received was found old, or the box was ticked."""
        return self.is_bound and (self.has_error("received_at", "confirm_old")
                                  or bool(self.data.get(self.add_prefix("confirm_old_receipt"))))

    @cached_property
    def known_customer(self) -> Customer | None:
        """The customer whose phone number was posted, for the panel shown without JavaScript."""
        if not self.is_bound:
            return None
        return customer_by_phone(phone=phone_normalise(str(self.data.get(self.add_prefix("customer_phone"), ""))[:32]))

    @cached_property
    def known_customer_overview(self) -> CustomerOverview | None:
        if self.known_customer is None:
            return None
        category = str(self.data.get(self.add_prefix("category"), ""))[:20]
        return customer_overview(customer=self.known_customer, category=category)

    @property
    def caller_asked(self) -> bool:
        """Show the choice of who is calling: the posted phone is a known customer's."""
        return self.known_customer is not None

    def customer_details(self) -> dict:
        """The arguments of casework.services.caller_resolve."""
        d = self.cleaned_data
        return {"name": d["customer_name"], "phone": d["customer_phone"], "organisation": d["customer_organisation"],
                "email": d["customer_email"], "tier": d["customer_tier"], "caller_is": d["caller_is"]}

    def add_caller_errors(self, error: ValidationError) -> None:
        """caller_resolve's refusal (keyed by its arguments) on this form's fields."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            name = key if key == "caller_is" else f"customer_{key}"
            self.add_error(name if name in self.fields else None, errors)

    def case_details(self) -> dict:
        """The other fields, by name: the case kind's register service takes them as they are."""
        return {name: value for name, value in self.cleaned_data.items()
                if name not in self.CUSTOMER_FIELDS and name not in self.FORM_ONLY}


class ActionForm(forms.Form):
    """Every lifecycle action carries the version of the case the person was looking at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class NoteForm(ActionForm):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RequiredNoteForm(ActionForm):
    note = forms.CharField(label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # The model's extension and size checks first: no point reading a refused file.
        for validator in Attachment._meta.get_field("file").validators:
            validator(upload)
        extension = Path(upload.name).suffix.lstrip(".").lower()
        if not content_matches_extension(file=upload, extension=extension):
            raise forms.ValidationError(
                _("The file's content is not what its extension .%(extension)s says."),
                params={"extension": extension},
            )
        return upload


def written_text(label, *, rows: int = 2, max_length: int = 2000, required: bool = True) -> forms.CharField:
    """What a person writes in an action's form: bounded, in a text area of a few rows."""
    return forms.CharField(label=label, max_length=max_length, required=required,
                           widget=forms.Textarea(attrs={"rows": rows}))


class PlainSelect(forms.Select):
    """A <select> written in Python, with the very markup of Django's select.html: a case page draws
    the list of units (tens of them) in its dispatch or transfer form, and Django's template for each
    option cost more than all the page's other form fields together. Option groups, which no such
    list has, go to Django's templates."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group_name for group_name, _options, _index in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        html = [f'<select name="{conditional_escape(widget["name"])}"{attrs_html(widget["attrs"])}>']
        for _group, options, _index in widget["optgroups"]:
            for option in options:
                value_text = escape(f"{option['value']}")
                html.append(f'\n  <option value="{value_text}"{attrs_html(option["attrs"])}>'
                            f"{conditional_escape(option['label'])}</option>\n")
        html.append("\n</select>")
        return mark_safe("".join(html))


class _UnitChoices(forms.models.ModelChoiceIterator):
    """The units as (id, "code name") rows of one plain query, or the list the page's forms share
    (`units_read_once`). Not Django's iterator(), a server-side cursor on PostgreSQL (DECLARE, FETCH,
    CLOSE: three round trips) meant for long lists; and no model objects: a queue draws two lists
    of some forty units on every view, and building them was a tenth of its time. The field still
    checks a submitted unit against its queryset."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.field.units if self.field.units is not None else unit_rows(self.queryset)


def unit_rows(units: QuerySet[ResponsibleUnit]) -> list[tuple[int, str]]:
    """(id, how lists name the unit) by one plain query."""
    return [(pk, ResponsibleUnit.label(code, name)) for pk, code, name in units.values_list("pk", "code", "name")]


class _UnitListField(forms.ModelChoiceField):
    """A list of units drawn from plain rows (_UnitChoices): those whose status is in `statuses`
    (None: every one). The field's queryset, which checks a submitted unit, is built from it, and
    `units_read_once` filters one read of every unit by it."""

    iterator = _UnitChoices
    statuses: tuple[str, ...] | None = None

    def __init__(self, **kwargs):
        units = ResponsibleUnit.objects.all()
        super().__init__(queryset=units if self.statuses is None else units.filter(status__in=self.statuses),
                         **kwargs)
        self.units: list[tuple[int, str]] | None = None


class UnitChoiceField(_UnitListField):
    """A unit to send a case to (dispatch, transfer, routing, re-dispatch in bulk): one of the units
    taking cases, drawn in Python (PlainSelect)."""

    widget = PlainSelect
    statuses = tuple(ResponsibleUnit.TAKING_CASES)


class AnyUnitField(_UnitListField):
    """A queue's unit filter: any unit, closed ones too (their old cases)."""


def units_read_once(page_forms: Iterable[forms.Form | None]) -> None:
    """The forms of one page offer the units from one query: a queue has two lists (the filter and
    the bulk re-dispatch), a proposal's page two more (to suggest a unit and to route to one)."""
    fields = [field for form in page_forms if form is not None for field in form.fields.values()
              if isinstance(field, _UnitListField)]
    if len(fields) > 1:
        every = ResponsibleUnit.objects.values_list("pk", "code", "name", "status")
        for field in fields:
            field.units = [(pk, ResponsibleUnit.label(code, name)) for pk, code, name, status in every
                           if field.statuses is None or status in field.statuses]


def any_of(label, choices) -> forms.ChoiceField:
    """A list filter over `choices`, empty meaning all."""
    return forms.ChoiceField(label=label, required=False, choices=[("", _("All"))] + list(choices))


class CaseQueueFilterForm(forms.Form):
    """Filters of a case kind's work queue: number or subject, state (or all open ones), unit; the
    kind's form adds its own (`states`, category…). A bad value is ignored with a message, never a 500.
    workflow.pages hands every field but `q` and `state` to the kind's list selector by its name."""

    OPEN = "open"
    states: list[tuple[str, str]] = []
    # Column name → (its label, the model fields it sorts by); "-name" is the same, descending. A kind
    # whose form names none (surveys) has no order to choose (see CaseFinderForm).
    SORTS: dict[str, tuple[str, tuple[str, ...]]] = {}
    q = forms.CharField(label=_("Number or subject"), max_length=100, required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    unit = AnyUnitField(label=_("Unit"), required=False, empty_label=_("All"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All")), (self.OPEN, _("All open"))] + list(self.states)

    def filters(self) -> dict:
        """The list selector's arguments; none (every visible case) when a value is bad."""
        if not self.is_valid():
            return {}
        data = dict(self.cleaned_data)
        state, search = data.pop("state"), data.pop("q")
        data.pop("sort", None)
        return {"state": "" if state == self.OPEN else state, "open_only": state == self.OPEN,
                "search": search.strip(), **data}

    def sort(self, *, default: str) -> str:
        """The order asked for (`sort`, one of the form's whitelisted choices), else `default`."""
        if "sort" not in self.fields:
            return ""
        chosen = self.cleaned_data.get("sort", "") if self.is_valid() else ""
        return chosen or default

    def sort_columns(self) -> dict[str, tuple[str, ...]]:
        """What workflow.selectors.case_sorted needs: column name → model fields."""
        return {name: fields for name, (_label, fields) in self.SORTS.items()}


def _day_start(day) -> datetime:
    """Midnight at the start of `day` in the site's time zone (Asia/Shanghai), as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min))


class CaseFinderForm(CaseQueueFilterForm):
    """A complaint's or proposal's queue (issue 13): one search box for a phone number, a customer's
    name, a case number or the subject (workflow.selectors.case_search), the dates received, overdue
    cases only, and the order (`sort`: the nearest deadline, or a column of `SORTS`). The kind's form
    adds its own filters and names its sortable columns."""

    DEADLINE = "deadline"  # workflow.selectors.DEADLINE

    q = forms.CharField(label=_("Phone, name, number or subject"), max_length=100, required=False)
    received_from = forms.DateField(label=_("Received from"), required=False, validators=[validate_planned_date],
                                    widget=forms.DateInput(attrs={"type": "date"}))
    received_to = forms.DateField(label=_("Received until"), required=False, validators=[validate_planned_date],
                                  widget=forms.DateInput(attrs={"type": "date"}))
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Default")), (self.DEADLINE, _("Nearest deadline"))]
        for name, (label, _fields) in self.SORTS.items():
            choices += [(name, _("%(column)s, ascending") % {"column": label}),
                        (f"-{name}", _("%(column)s, descending") % {"column": label})]
        self.fields["sort"].choices = choices
        # The order and the sort choice last, after the kind's own filters.
        self.order_fields([name for name in self.fields if name not in ("received_from", "received_to", "overdue",
                                                                        "sort")])

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("The end date is before the start date."))
        return data

    def filters(self) -> dict:
        """The dates as aware moments in the site's time zone: from the start of the first day to
        the end of the last."""
        found = super().filters()
        if found.get("received_from"):
            found["received_from"] = _day_start(found["received_from"])
        if found.get("received_to"):
            found["received_to"] = _day_start(found["received_to"] + timedelta(days=1))
        return found


class CaseNumbersField(forms.Field):
    """The case numbers ticked in a queue (`cases`, one value each): upper-cased, each once, in order."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, max_count: int, **kwargs):
        self.max_count = max_count
        super().__init__(**kwargs)

    def to_python(self, value) -> list[str]:
        if not value:
            return []
        values = [value] if isinstance(value, str) else list(value)
        return list(dict.fromkeys(str(v).strip().upper() for v in values if str(v).strip()))

    def validate(self, value) -> None:
        super().validate(value)
        if len(value) > self.max_count:
            raise forms.ValidationError(_("Select at most %(count)d cases at a time."),
                                        params={"count": self.max_count}, code="too_many")
        if any(len(number) > 20 for number in value):
            raise forms.ValidationError(_("That is not a case number."), code="invalid")


class BulkActionForm(forms.Form):
    """One action for the cases ticked in a queue, with one reason (and a unit, for re-dispatching).
    `actions`: (name, label, needs a unit) of the kind's bulk actions (workflow.bulk_actions)."""

    action = forms.ChoiceField(label=_("Action"))
    unit = UnitChoiceField(label=_("Unit"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    # The queue's filters, to return to the same list afterwards.
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args, actions: list[tuple[str, str, bool]], max_cases: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"] = CaseNumbersField(max_count=max_cases, error_messages={
            "required": _("Select the cases first.")})
        self.fields["action"].choices = [(name, label) for name, label, _needs_unit in actions]
        self.needing_unit = {name for name, _label, needs_unit in actions if needs_unit}

    def clean(self):
        data = super().clean()
        if data.get("action") in self.needing_unit and not data.get("unit"):
            self.add_error("unit", _("Choose the unit."))
        return data
