"""The customer proposal and its lifecycle (SPEC §4). The @transition methods are the
only place the lifecycle is written down; services call them and record the timeline."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from casework.date_bounds import validate_planned_date, validate_received_at
from casework.models import CaseQuerySet, ChoiceLabelsMixin, ContactPerson, Customer, ResponsibleUnit, open_condition
from sla.deadlines import add_calendar_months

from . import policy
from .choices import (
    AWAITING_FEEDBACK_STATES,
    FINAL_STATES,
    Category,
    Channel,
    Decision,
    HandlingSatisfaction,
    Priority,
    State,
    sla_priority_for,
)

# SPEC §4: for one year from implementation the cost reduction is shared 60 / 40 with the customer.
CUSTOMER_BENEFIT_SHARE = Decimal("0.60")
BENEFIT_SHARING_DAYS = 365
# Seed 000 §5.3: the unit's research takes at most a calendar month from routing (routed 31 January:
# due 28 or 29 February, at the same time of day); research that runs longer reports its schedule.
RESEARCH_MONTHS = 1


def _money(**kwargs):
    return models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True,
                               validators=[MinValueValidator(0)], **kwargs)


class Proposal(ChoiceLabelsMixin, ConcurrentTransitionMixin, models.Model):
    FINAL_STATES = FINAL_STATES

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="proposals")
    # Who called, when it was not the customer on record (casework.ContactPerson); empty: the customer.
    contact_person = models.ForeignKey(ContactPerson, verbose_name=_("contact person"), on_delete=models.PROTECT,
                                       null=True, blank=True, related_name="proposals")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"), validators=[validate_received_at])
    category = models.CharField(_("proposal category"), max_length=20, choices=Category.choices)
    subject = models.CharField(_("subject"), max_length=200)
    content = models.TextField(_("proposal"), max_length=5000)
    expected_benefit = models.TextField(_("expected benefit"), max_length=2000, blank=True)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    first_responder = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("first responder"),
                                        on_delete=models.PROTECT, related_name="proposals_owned")
    suggested_unit = models.ForeignKey(ResponsibleUnit, verbose_name=_("unit suggested by the desk"),
                                       on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    responsible_unit = models.ForeignKey(ResponsibleUnit, verbose_name=_("responsible unit"),
                                         on_delete=models.PROTECT, null=True, blank=True, related_name="proposals")
    extended = models.BooleanField(_("deadline extended"), default=False)
    # The unit's evaluation.
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    planned_implementation_on = models.DateField(_("planned implementation date"), null=True, blank=True,
                                                 validators=[validate_planned_date])
    measures = models.TextField(_("measures"), blank=True)
    # The research schedule the unit reports when its research runs over a month from routing: filed
    # with `report_schedule` while it researches, or with the evaluation when that comes late.
    research_schedule = models.TextField(_("research schedule"), blank=True)
    research_completion_planned_on = models.DateField(_("research planned to finish on"), null=True, blank=True,
                                                      validators=[validate_planned_date])
    research_schedule_at = models.DateTimeField(_("research schedule reported at"), null=True, blank=True,
                                                editable=False)
    # The outcome.
    handling_satisfaction = models.CharField(_("satisfaction with the handling"), max_length=16,
                                             choices=HandlingSatisfaction.choices, blank=True)
    implementation_report = models.TextField(_("implementation report"), blank=True)
    cost_reduction = _money(verbose_name=_("cost reduction achieved (CNY)"))
    closure_reason = models.TextField(_("closure reason"), blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)

    state = FSMField(_("state"), max_length=20, choices=State.choices, default=State.SUBMITTED, protected=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    created_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True, editable=False)
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True, editable=False)
    evaluated_at = models.DateTimeField(_("evaluated at"), null=True, blank=True, editable=False)
    feedback_at = models.DateTimeField(_("customer told at"), null=True, blank=True, editable=False)
    implemented_at = models.DateTimeField(_("implemented at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    # The nearest due time of the proposal's running SLA clocks (empty: none runs) and the earliest
    # moment one of them warns (or is due), kept by sla.services with the clocks: the desk's
    # deadline order and the overdue list read them through an index each.
    next_due_at = models.DateTimeField(_("next deadline"), null=True, blank=True, editable=False)
    due_soon_at = models.DateTimeField(_("due soon from"), null=True, blank=True, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "-received_at"], name="proposal_state_received"),
            models.Index(fields=["responsible_unit", "state", "-received_at"], name="proposal_unit_state"),
            models.Index(fields=["-received_at"], name="proposal_received"),
            # The default list (open proposals, newest first) and its capped count read only open rows.
            models.Index(fields=["-received_at"], name="proposal_open_received",
                         condition=open_condition(FINAL_STATES)),
            models.Index(fields=["category", "-received_at"], name="proposal_category_received"),
            models.Index(fields=["customer", "received_at"], name="proposal_customer"),
            # The desk's order: nearest deadline first, then those without one, newest first.
            models.Index(fields=["next_due_at", "-received_at", "-id"], include=["state"],
                         name="proposal_deadline_order"),
            models.Index(fields=["due_soon_at", "next_due_at"], name="proposal_due_soon",
                         condition=open_condition(FINAL_STATES)),
            # A customer's open proposals, counted by the search by phone or name without reading the rows.
            models.Index(fields=["customer", "id"], name="proposal_open_customer",
                         condition=open_condition(FINAL_STATES)),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(cost_reduction__gte=0) | models.Q(cost_reduction__isnull=True),
                                   name="proposal_cost_reduction_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.state not in FINAL_STATES

    @property
    def sla_case_kind(self) -> str:
        return "proposal"

    @property
    def sla_priority(self) -> str:
        """The policy row the feedback deadline follows: an extension beats the priority."""
        return sla_priority_for(priority=self.priority, extended=self.extended)

    @property
    def research_due_at(self) -> datetime | None:
        """When the unit's research should be done: a calendar month after routing."""
        if self.routed_at is None:
            return None
        return add_calendar_months(self.routed_at, RESEARCH_MONTHS)

    def research_overran(self, at: datetime | None = None) -> bool:
        """The research ran (or is running) past its month: evaluated after it, or still under review at `at`."""
        due = self.research_due_at
        if due is None:
            return False
        return (self.evaluated_at or at or timezone.now()) > due

    @property
    def research_schedule_filed(self) -> bool:
        return bool(self.research_schedule.strip())

    @property
    def research_schedule_due(self) -> bool:
        """The unit is still researching past its month and has not reported a schedule."""
        return self.state == State.UNDER_REVIEW and self.research_overran() and not self.research_schedule_filed

    @property
    def customer_benefit(self) -> Decimal | None:
        """The customer's 60% of the cost reduction during the sharing year."""
        if self.cost_reduction is None:
            return None
        return (self.cost_reduction * CUSTOMER_BENEFIT_SHARE).quantize(Decimal("0.01"))

    @property
    def benefit_shared_until(self):
        if self.implemented_at is None:
            return None
        return timezone.localdate(self.implemented_at) + timedelta(days=BENEFIT_SHARING_DAYS)

    # --- lifecycle -------------------------------------------------------------

    @transition(field=state, source=State.SUBMITTED, target=State.ACKNOWLEDGED,
                permission=policy.is_service_desk_member)
    def acknowledge(self, *, at):
        """Thank the customer and tell them the expected time and unit."""
        self.acknowledged_at = at

    @transition(field=state, source=State.ACKNOWLEDGED, target=None, permission=policy.is_service_desk_member)
    def suggest_unit(self, *, unit: ResponsibleUnit):
        """The agent picks the unit; the manager's `route` approves it."""
        self.suggested_unit = unit

    @transition(field=state, source=State.ACKNOWLEDGED, target=State.UNDER_REVIEW, permission=policy.is_the_manager)
    def route(self, *, unit: ResponsibleUnit, at):
        self.responsible_unit = unit
        self.routed_at = at

    @transition(field=state, source=State.ACKNOWLEDGED, target=State.ARCHIVED, permission=policy.is_the_manager)
    def archive(self, *, reason: str, at):
        self.closure_reason = reason
        self.closed_at = at

    @transition(field=state, source=State.UNDER_REVIEW, target=None, permission=policy.is_unit_handler,
                conditions=[lambda proposal: proposal.research_overran()])
    def report_schedule(self, *, planned_completion_on, schedule: str, at):
        """Seed 000 §5.3: research over a month from routing reports its concrete schedule (否则应报告
        具体日程安排) — the date it will be done and the steps. Offered once the month is over, until
        the evaluation; a later report replaces the earlier one (both stay on the timeline)."""
        self._file_schedule(schedule, at, planned_completion_on)

    @transition(field=state, source=State.UNDER_REVIEW, target=State.EVALUATED, permission=policy.is_unit_handler)
    def evaluate(self, *, decision: str, opinion: str, planned_implementation_on, measures: str,
                 research_schedule: str, at):
        """The research result. A schedule given here (a late evaluation's) replaces one reported before."""
        self.decision = decision
        self.opinion = opinion
        self.planned_implementation_on = planned_implementation_on
        self.measures = measures
        if research_schedule.strip():
            self._file_schedule(research_schedule, at)
        self.evaluated_at = at

    def _file_schedule(self, schedule: str, at, planned_completion_on=None) -> None:
        self.research_schedule = schedule
        self.research_completion_planned_on = planned_completion_on
        self.research_schedule_at = at

    @transition(field=state, source=State.EVALUATED, target=State.UNDER_REVIEW, permission=policy.is_the_manager)
    def send_back(self):
        """The manager finds the evaluation thin: back to the unit, evaluation cleared. The research
        schedule stays: it is the unit's report on its research, which goes on."""
        self.decision, self.opinion, self.measures = "", "", ""
        self.planned_implementation_on = self.evaluated_at = None

    @transition(field=state, source=AWAITING_FEEDBACK_STATES, target=None, permission=policy.is_the_manager,
                conditions=[lambda proposal: not proposal.extended])
    def extend(self):
        """An important or complex proposal gets 15 working days instead of 10, once."""
        self.extended = True

    @transition(field=state, source=State.EVALUATED, target=RETURN_VALUE(State.ADOPTED, State.CLOSED),
                permission=policy.is_service_desk_member)
    def feedback(self, *, handling_satisfaction: str, at):
        """Tell the customer the decision; a proposal not adopted ends here."""
        self.feedback_at = at
        self.handling_satisfaction = handling_satisfaction
        if self.decision == Decision.ADOPTED:
            return State.ADOPTED
        self.closed_at = at
        return State.CLOSED

    @transition(field=state, source=State.ADOPTED, target=State.IMPLEMENTED, permission=policy.is_unit_handler)
    def implement(self, *, report: str, cost_reduction, at):
        self.implementation_report = report
        self.cost_reduction = cost_reduction
        self.implemented_at = at

    @transition(field=state, source=State.IMPLEMENTED, target=State.CLOSED, permission=policy.is_service_desk_member)
    def close(self, *, at):
        self.closed_at = at


class ProposalTarget(models.Model):
    """The half-year's collection plan: how many proposals, and how they will be gathered."""

    class Half(models.IntegerChoices):
        FIRST = 1, _("First half (January–June)")
        SECOND = 2, _("Second half (July–December)")

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2999)])
    half = models.PositiveSmallIntegerField(_("half-year"), choices=Half.choices)
    target_count = models.PositiveIntegerField(_("proposals to collect"))
    target_adopted = models.PositiveIntegerField(_("proposals to adopt"), default=0)
    plan = models.TextField(_("collection plan"), blank=True)

    class Meta:
        verbose_name = _("proposal target")
        verbose_name_plural = _("proposal targets")
        ordering = ["-year", "-half"]
        constraints = [models.UniqueConstraint(fields=["year", "half"], name="proposal_target_once_per_half")]

    def __str__(self) -> str:
        return f"{self.year} H{self.half}: {self.target_count}"
