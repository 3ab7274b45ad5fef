"""Records shared by every kind of case: customers, responsible units, the timeline, attachments."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import connection, models
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from .phones import PhoneModelField, phone_validator


def open_condition(final_states) -> models.Q:
    """The cases of a kind that are open: in none of its final states. One state is written
    `state = x`, not `state IN (x)`, so the partial indexes built from this keep the condition
    their migrations created."""
    states = list(final_states)
    return ~models.Q(state=states[0]) if len(states) == 1 else ~models.Q(state__in=states)


_Case = TypeVar("_Case", bound=models.Model)


@functools.cache
def _choice_labels(field: models.Field) -> dict:
    """A field's {value: label}, the labels lazy (each read in the language of the moment)."""
    return dict(field.flatchoices)


class ChoiceLabelsMixin:
    """`get_<field>_display()` by a dict built once per field. Django's builds one on every call,
    hashing each lazy label of the field's choices, which puts each through gettext: a queue of 25
    rows showing three such labels made some 750 translation lookups, a sixth of the page's time.
    Same result: the label, in the active language, or the value when it has none."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            label = _choice_labels(field).get(value, value)
        except TypeError:  # an unhashable value (a JSON field's): Django's own way
            return super()._get_FIELD_display(field)  # type: ignore[misc]
        return force_str(label, strings_only=True)


class CaseQuerySet(models.QuerySet[_Case]):
    """The manager of every kind of case (`Model.objects`, and related managers such as
    `unit.complaints`): `.open()` reads the model's FINAL_STATES, the one list of where a case ends."""

    def open(self) -> CaseQuerySet[_Case]:
        return self.filter(open_condition(self.model.FINAL_STATES))  # type: ignore[attr-defined]  # each kind has it




class Customer(models.Model):
    class Tier(models.TextChoices):
        KEY = "key", _("Key customer")
        ORDINARY = "ordinary", _("Ordinary customer")
        POTENTIAL = "potential", _("Potential customer")

    name = models.CharField(_("name"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    phone = PhoneModelField(_("phone"), max_length=32, validators=[phone_validator], db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices, default=Tier.ORDINARY)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name", "pk"]
        permissions = [("view_personal_data", _("Can see unmasked personal data in exports"))]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


class ContactPerson(models.Model):
    """Someone who calls for a customer (a company's buyer, a family member) on the customer's
    phone: the intake's "new contact person of this customer". The customer's record stays as it
    is; the case records who called (`contact_person` on a complaint or proposal)."""

    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="contact_persons")
    name = models.CharField(_("name"), max_length=100)
    phone = PhoneModelField(_("phone"), max_length=32, validators=[phone_validator])
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class CustomerCorrection(models.Model):
    """One field of a customer's record corrected at intake ("correct the customer's record"):
    from what to what, by whom, with which case. The customer page lists them, so an earlier name
    or tier is never lost; the new case's timeline says it too."""

    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="corrections")
    field = models.CharField(_("field"), max_length=20)
    old_value = models.CharField(_("old value"), max_length=200, blank=True)
    new_value = models.CharField(_("new value"), max_length=200, blank=True)
    case_number = models.CharField(_("case number"), max_length=20, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("corrected by"), on_delete=models.PROTECT,
                              null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    # The customer fields an agent types at intake, with their labels.
    FIELDS = {"name": _("Customer name"), "organisation": _("Organisation"), "email": _("E-mail"),
              "tier": _("Customer tier")}

    class Meta:
        verbose_name = _("customer correction")
        verbose_name_plural = _("customer corrections")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.field}: {self.old_value} → {self.new_value}"

    @staticmethod
    def shown(field: str, value: str) -> str:
        """A value as a person reads it (a tier's name, not its code)."""
        if field == "tier" and value in Customer.Tier.values:
            return str(Customer.Tier(value).label)
        return value

    @property
    def field_label(self) -> str:
        return str(self.FIELDS.get(self.field, self.field))

    @property
    def old_shown(self) -> str:
        return self.shown(self.field, self.old_value)

    @property
    def new_shown(self) -> str:
        return self.shown(self.field, self.new_value)


class ResponsibleUnit(models.Model):
    class Kind(models.TextChoices):
        INTERNAL = "internal", _("Internal department")
        PROVIDER = "provider", _("External service provider")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        # Seed 001 5.1.6 (过渡服务): a unit winding down or starting up; no complaint-handling support.
        TRANSITION = "transition", _("Transition service")
        SUSPENDED = "suspended", _("Suspended")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.INTERNAL)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_units",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handlers"),
        blank=True,
        related_name="responsible_units",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    monthly_complaint_limit = models.PositiveIntegerField(
        _("monthly complaint limit"),
        default=0,
        help_text=_("Set each quarter from the unit's average monthly service volume; 0 means no limit."),
    )

    class Meta:
        verbose_name = _("responsible unit")
        verbose_name_plural = _("responsible units")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label(self.code, self.name)

    @staticmethod
    def label(code: str, name: str) -> str:
        """How lists of units name one (also from plain rows: casework.forms.unit_rows)."""
        return f"{code} {name}"

    # A unit in transition service still serves its customers; a suspended one takes no new case.
    TAKING_CASES = (Status.ACTIVE, Status.TRANSITION)

    @classmethod
    def taking_cases(cls) -> models.QuerySet[ResponsibleUnit]:
        return cls.objects.filter(status__in=cls.TAKING_CASES)

    def refuse_unless_taking_cases(self, *, field: str) -> None:
        """For a dispatch, transfer or routing to this unit: a field error if it takes no cases now."""
        if self.status not in self.TAKING_CASES:
            raise ValidationError({field: _("%(unit)s is suspended and cannot take cases.") % {"unit": self}})


class CaseEvent(models.Model):
    """One line of a case's timeline. Written with the change it records; never edited.
    Bulk writers (the generators, the sweep's INSERT … SELECT) give its columns as CASE_EVENT_COLUMNS."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Registered")
        TRANSITION = "transition", _("State change")
        ASSIGNMENT = "assignment", _("Assignment")
        ESCALATION = "escalation", _("Escalation")
        CONTACT = "contact", _("Contact attempt")
        CALLBACK = "callback", _("Callback")
        COMMENT = "comment", _("Comment")
        ATTACHMENT = "attachment", _("Attachment")

    case_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, db_index=False)  # caseevent_case_time serves
    case_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("case_type", "case_id")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    action = models.CharField(_("action"), max_length=40, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), on_delete=models.PROTECT, null=True, blank=True
    )
    from_state = models.CharField(_("from state"), max_length=32, blank=True)
    to_state = models.CharField(_("to state"), max_length=32, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    # What the system said, in no language: message ids and parameters (casework.timeline), put into
    # the reader's words when shown. None on rows written before, whose note holds it all. Last, and
    # nullable, so bulk writers without lines (CASE_EVENT_COLUMNS) need not name it.
    lines = models.JSONField(_("system lines"), null=True, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case_type", "case_id", "created_at"], name="caseevent_case_time")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Timeline entries are never edited."))
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """Its action's name (the workflow table's label), in the reader's language."""
        from .timeline import event_label

        return event_label(self)

    @property
    def text(self) -> str:
        """The system's lines in the reader's language, then what the person wrote."""
        from .timeline import event_text

        return event_text(self)


# The timeline's columns in the order every bulk writer gives their values.
CASE_EVENT_COLUMNS = ["case_type_id", "case_id", "kind", "action", "actor_id", "from_state", "to_state", "note",
                      "created_at"]
# The same with the system's lines last, for writers that have some (the value:
# `casework.timeline.lines_json(lines)`).
CASE_EVENT_COLUMNS_WITH_LINES = [*CASE_EVENT_COLUMNS, "lines"]


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{timezone.localdate():%Y/%m}/{instance.case_type_id}-{instance.case_id}/{Path(filename).name}"


def validate_attachment_size(file) -> None:
    if file.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is too large (at most %(mb)d MB)."),
            params={"mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)},
        )


class Attachment(models.Model):
    case_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    case_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("case_type", "case_id")
    file = models.FileField(
        _("file"),
        upload_to=attachment_path,
        validators=[
            FileExtensionValidator(allowed_extensions=settings.ATTACHMENT_EXTENSIONS),
            validate_attachment_size,
        ],
    )
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["case_type", "case_id"], name="attachment_case")]

    def __str__(self) -> str:
        return self.original_name


class CaseNumberSequence(models.Model):
    """The last number handed out per prefix and month, so numbers have no gaps or duplicates."""

    prefix = models.CharField(max_length=8)
    period = models.CharField(max_length=6)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "period"], name="case_number_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}{self.period}: {self.last_value}"

    @classmethod
    def next_numbers(cls, *, prefix: str, at, count: int) -> list[str]:
        """A block of `count` consecutive numbers in one statement (imports); same guarantees as next_number."""
        period = timezone.localtime(at).strftime("%Y%m")
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (prefix, period, last_value) VALUES (%s, %s, %s) "
                f"ON CONFLICT (prefix, period) DO UPDATE SET last_value = {table}.last_value + %s "
                "RETURNING last_value",
                [prefix, period, count, count],
            )
            (last,) = cursor.fetchone()
        return [f"{prefix}{period}-{value:06d}" for value in range(last - count + 1, last + 1)]

    @classmethod
    def next_number(cls, *, prefix: str, at) -> str:
        """Take the next number; call inside the transaction that creates the case.

        The upsert locks the sequence row until that transaction ends, so concurrent
        intakes queue up, and a rolled-back intake gives its number back.
        """
        period = timezone.localtime(at).strftime("%Y%m")
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (prefix, period, last_value) VALUES (%s, %s, 1) "
                f"ON CONFLICT (prefix, period) DO UPDATE SET last_value = {table}.last_value + 1 "
                "RETURNING last_value",
                [prefix, period],
            )
            (value,) = cursor.fetchone()
        return f"{prefix}{period}-{value:06d}"


class Notification(models.Model):
    """A message to one person, shown under the bell and mailed by a Celery task.

    `source` names what caused it (e.g. "escalation:42"); with the recipient it is
    unique, so a task that runs twice notifies once."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    source = models.CharField(max_length=64)
    case_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    case_id = models.PositiveBigIntegerField(null=True, blank=True)
    case_number = models.CharField(_("case"), max_length=20, blank=True)
    message = models.CharField(_("message"), max_length=500)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "source"], name="notification_once_per_source"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(fields=["recipient"], name="notification_unread", condition=models.Q(read_at__isnull=True)),
            models.Index(fields=["created_at"], name="notification_unmailed",
                         condition=models.Q(emailed_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.message}"


class ImportJob(models.Model):
    """A large import run by a worker (casework/import_jobs.py): checked, shown to its uploader, and
    written once confirmed, in one transaction. The page follows the counters, so the person may leave
    and come back; the file itself is the uploader's stashed file (casework/import_stash.py)."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking")
        READY = "ready", _("Checked: waiting for confirmation")
        WRITING = "writing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported: the file has errors")
        ERROR = "error", _("Not imported: the import stopped")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE,
                             related_name="import_jobs")
    kind = models.CharField(_("what the file holds"), max_length=32)
    filename = models.CharField(_("file"), max_length=255)
    token = models.CharField(max_length=32, editable=False)  # the stashed file's name
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    # The language the uploader reads the errors in (a worker has none of its own).
    language = models.CharField(max_length=16, default="", editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CHECKING)
    rows_estimated = models.PositiveIntegerField(_("rows (estimated)"), null=True, blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_checked = models.PositiveIntegerField(_("rows checked"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    warning_count = models.PositiveIntegerField(_("rows with warnings"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)  # [{"line": n, "messages": [...]}, …]
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)  # why it stopped, for a file that cannot be read at all
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="importjob_user_created")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.WRITING)
