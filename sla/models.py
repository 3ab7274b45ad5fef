"""SLA records: the calendar's admin overrides, the policies, each case's milestones
and their escalations. Deadlines are columns, so a sweep finds what is due with an
index scan and an outage of the broker only delays escalation."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.date_bounds import validate_calendar_date
from casework.models import ChoiceLabelsMixin


class CalendarDay(models.Model):
    """An admin's word on one date; it beats the chinesecalendar package."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday (no work)")
        WORKDAY = "workday", _("Working day (incl. make-up 调休)")

    date = models.DateField(_("date"), unique=True, validators=[validate_calendar_date])
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()


class MilestoneKind(models.TextChoices):
    FIRST_CONTACT = "first_contact", _("First contact (24 hours)")
    PROGRESS_REPLY = "progress_reply", _("Progress reply to the customer")
    UNIT_SOLUTION = "unit_solution", _("Unit's solution after dispatch")
    RESOLUTION = "resolution", _("Resolution")
    CALLBACK = "callback", _("Callback after resolution")
    MAJOR_REPORT = "major_report", _("Major-complaint written report")
    LONG_OPEN = "long_open", _("Closed within three months")
    PROPOSAL_FEEDBACK = "proposal_feedback", _("Proposal feedback")
    SURVEY_RESPONSE = "survey_response", _("Survey answer due")


class SlaPolicy(models.Model):
    """How long a milestone may take, per case kind × priority (× unit kind)."""

    class CaseKind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        REPAIR_REQUEST = "repair_request", _("Repair request")
        PROPOSAL = "proposal", _("Proposal")
        SURVEY = "survey", _("Satisfaction survey")

    class Unit(models.TextChoices):
        WORKING_DAYS = "working_days", _("working days")
        CLOCK_HOURS = "clock_hours", _("clock hours")

    case_kind = models.CharField(_("case kind"), max_length=16, choices=CaseKind.choices)
    milestone = models.CharField(_("milestone"), max_length=20, choices=MilestoneKind.choices)
    priority = models.CharField(_("priority"), max_length=8, blank=True,
                                help_text=_("Empty: any priority without a policy of its own."))
    unit_kind = models.CharField(_("unit kind"), max_length=16, blank=True,
                                 help_text=_("Empty: any unit. 'provider': external service providers only."))
    target = models.PositiveIntegerField(_("target"))
    target_unit = models.CharField(_("in"), max_length=16, choices=Unit.choices)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["case_kind", "milestone", "priority", "unit_kind"]
        constraints = [
            models.UniqueConstraint(fields=["case_kind", "milestone", "priority", "unit_kind"],
                                    name="sla_policy_unique"),
        ]

    def __str__(self) -> str:
        scope = " ".join(filter(None, [self.get_case_kind_display(), self.priority, self.unit_kind]))
        return f"{scope}: {self.get_milestone_display()} {self.target} {self.get_target_unit_display()}"


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    MET = "met", _("Met")
    BREACHED = "breached", _("Breached")
    CANCELLED = "cancelled", _("Not needed")


# An open milestone: its clock still runs (pending, or breached and not yet met). The one definition,
# read by Milestone.objects.open(), Milestone.is_open, the partial indexes below and the sweep's raw
# SQL (sla.sweep compiles OPEN with the ORM).
OPEN_STATUSES = [MilestoneStatus.PENDING, MilestoneStatus.BREACHED]
OPEN_LOOKUPS = {"status__in": OPEN_STATUSES, "met_at__isnull": True}
OPEN = Q(**OPEN_LOOKUPS)


class MilestoneQuerySet(models.QuerySet["Milestone"]):
    def open(self) -> MilestoneQuerySet:
        return self.filter(OPEN)


class Milestone(ChoiceLabelsMixin, models.Model):
    Status = MilestoneStatus

    # No index of its own: the (case_type, case_id[, kind]) indexes below serve every lookup, and a
    # lone case_type index tempted the planner into scanning a whole case kind per row when the
    # statistics were stale.
    case_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, db_index=False)
    case_id = models.PositiveBigIntegerField()
    case_number = models.CharField(_("case"), max_length=20)
    kind = models.CharField(_("milestone"), max_length=20, choices=MilestoneKind.choices)
    # The case's round with the unit this clock belongs to (0 until the case first goes back to it).
    round = models.PositiveSmallIntegerField(_("round"), default=0)
    policy = models.ForeignKey(SlaPolicy, on_delete=models.SET_NULL, null=True, blank=True, related_name="milestones")
    started_at = models.DateTimeField(_("clock started"))
    due_at = models.DateTimeField(_("due"))
    warn_at = models.DateTimeField(_("warning from"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("one working day overdue at"), null=True, blank=True)
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # The highest escalation level already raised (-1: none), so a sweep skips what is done.
    escalated_level = models.SmallIntegerField(default=-1)
    # Who hears of it: the case's owner (first responder) and, once dispatched, its unit.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    unit = models.ForeignKey("casework.ResponsibleUnit", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["case_type", "case_id", "kind", "round"], name="milestone_once_per_round"),
        ]
        indexes = [
            models.Index(fields=["case_type", "case_id"], name="milestone_case"),
            # One small partial index per sweep branch: only rows still waiting for that level.
            models.Index(fields=["warn_at"], name="milestone_to_warn",
                         condition=Q(status="pending", escalated_level__lt=0)),
            models.Index(fields=["due_at"], name="milestone_to_breach",
                         condition=Q(**OPEN_LOOKUPS, escalated_level__lt=1)),
            models.Index(fields=["overdue_at"], name="milestone_to_level2",
                         condition=Q(**OPEN_LOOKUPS, escalated_level__lt=2)),
            models.Index(fields=["due_at"], name="milestone_pending_due",
                         condition=Q(status__in=OPEN_STATUSES)),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES and self.met_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at <= timezone.now()

    @property
    def is_due_soon(self) -> bool:
        return self.is_open and not self.is_overdue and self.warn_at is not None and self.warn_at <= timezone.now()


# A milestone's columns in the order bulk writers (intake, imports, the generators) give their values.
MILESTONE_COLUMNS = ["case_type_id", "case_id", "case_number", "kind", "round", "policy_id", "started_at", "due_at",
                     "warn_at", "overdue_at", "met_at", "status", "escalated_level", "owner_id", "unit_id"]


class Escalation(models.Model):
    """One (milestone, level) raised by a sweep. The unique constraint, not the sweep's
    reading, is what makes each escalation happen exactly once."""

    class Level(models.IntegerChoices):
        WARNING = 0, _("Warning: four fifths of the time used")
        BREACH = 1, _("Level 1: deadline missed (assignee and unit lead)")
        OVERDUE = 2, _("Level 2: one working day overdue (manager)")
        PROJECT = 3, _("Level 3: open over three months (company project 立项)")

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="escalations")
    level = models.SmallIntegerField(_("level"), choices=Level.choices)
    created_at = models.DateTimeField(_("raised at"), default=timezone.now)
    sweep_id = models.CharField(max_length=32, db_index=True)
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["milestone", "level"], name="escalation_once_per_level"),
        ]
        indexes = [
            models.Index(fields=["created_at"], name="escalation_unnotified",
                         condition=Q(notified_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.milestone} L{self.level}"
