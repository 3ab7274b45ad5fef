"""The complaint and its lifecycle (SPEC §3). The @transition methods are the only
place the lifecycle is written down; services call them and record the timeline."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from casework.date_bounds import validate_received_at
from casework.models import CaseQuerySet, ChoiceLabelsMixin, ContactPerson, Customer, ResponsibleUnit, open_condition

from . import policy
from .choices import (
    FINAL_STATES,
    OPEN_STATES,
    TWO_CALLBACK_CATEGORIES,
    Category,
    Channel,
    ClosureType,
    ComplainantClass,
    Kind,
    Priority,
    ResolutionType,
    Severity,
    State,
    Validity,
)

UNREACHABLE_ATTEMPTS_TO_CLOSE = 3
# While the customer waits for an answer, the desk owes them progress replies.
PROGRESS_STATES = [State.CONTACTED, State.ASSIGNED, State.PENDING_APPROVAL, State.APPROVED, State.IN_PROGRESS]
# While the case is with the unit: from dispatch until it reports the implementation.
WITH_THE_UNIT = [State.ASSIGNED, State.PENDING_APPROVAL, State.APPROVED, State.IN_PROGRESS]


class Complaint(ChoiceLabelsMixin, ConcurrentTransitionMixin, models.Model):
    FINAL_STATES = FINAL_STATES

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.COMPLAINT)
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="complaints"
    )
    # Who called, when it was not the customer on record (casework.ContactPerson); empty: the customer.
    contact_person = models.ForeignKey(
        ContactPerson, verbose_name=_("contact person"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="complaints"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"), validators=[validate_received_at])
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    customer_demand = models.TextField(_("customer demand"), max_length=2000, blank=True)
    target = models.CharField(_("complained-about target"), max_length=200, blank=True)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    complainant_class = models.CharField(
        _("complainant class"), max_length=1, choices=ComplainantClass.choices, default=ComplainantClass.C
    )
    estimated_loss = models.DecimalField(
        _("estimated direct loss (CNY)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices, blank=True, editable=False)
    is_major = models.BooleanField(_("major complaint"), default=False)
    responsible_unit = models.ForeignKey(
        ResponsibleUnit,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    # Seed 001 5.2.2.1: a case moved to another unit still counts against the first one
    # ("该抱怨计入原销售服务商抱怨限值"): set at the first dispatch, kept through transfers.
    counted_unit = models.ForeignKey(
        ResponsibleUnit,
        verbose_name=_("unit counted against"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_counted",
        editable=False,
    )
    # Each return to a unit (rejected, customer disagrees, transferred, handed back, reopened at the
    # callback) starts a new round of the unit's clocks; earlier rounds stay as history.
    unit_round = models.PositiveSmallIntegerField(_("round with the unit"), default=0, editable=False)
    first_responder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("first responder"),
        on_delete=models.PROTECT,
        related_name="complaints_owned",
    )
    validity = models.CharField(_("validity"), max_length=8, choices=Validity.choices, blank=True)
    invalid_proposed = models.BooleanField(_("invalid closure proposed"), default=False)
    root_cause = models.TextField(_("root cause"), blank=True)
    solution = models.TextField(_("solution"), blank=True)
    resolution_type = models.CharField(_("resolution type"), max_length=16, choices=ResolutionType.choices, blank=True)
    resolution_amount = models.DecimalField(
        _("resolution amount (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    implementation_report = models.TextField(_("implementation report"), blank=True)
    closure_type = models.CharField(_("closure type"), max_length=16, choices=ClosureType.choices, blank=True)
    closure_reason = models.TextField(_("closure reason"), blank=True)
    repeat_of = models.ForeignKey(
        "self", verbose_name=_("repeat of"), on_delete=models.SET_NULL, null=True, blank=True, related_name="repeats"
    )
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    # The nearest due time of the case's running SLA clocks (empty: none runs), and the earliest
    # moment one of them warns (or is due): sla.services keeps both with the clocks, in their
    # transaction, so the desk's deadline order and the overdue and due-soon lists read an index of
    # this table instead of five million clock rows.
    next_due_at = models.DateTimeField(_("next deadline"), null=True, blank=True, editable=False)
    due_soon_at = models.DateTimeField(_("due soon from"), null=True, blank=True, editable=False)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    state = FSMField(_("state"), max_length=20, choices=State.choices, default=State.REGISTERED, protected=True)
    # Bumped by every change; a form carries the version it was shown, so a stale edit is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    created_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)
    first_contacted_at = models.DateTimeField(_("first contacted at"), null=True, blank=True, editable=False)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True, editable=False)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "-received_at"], name="complaint_state_received"),
            models.Index(fields=["responsible_unit", "state", "-received_at"], name="complaint_unit_state"),
            models.Index(fields=["customer", "category", "received_at"], name="complaint_customer_cat"),
            # The default queue (every open case, newest first) and its count read only open rows.
            models.Index(fields=["-received_at"], name="complaint_open_received",
                         condition=open_condition(FINAL_STATES)),
            models.Index(fields=["-received_at"], name="complaint_received"),
            # A customer's open complaints, counted by the search by phone or name without reading
            # the rows (a frequent caller has thousands among the 54,000 open of a million).
            models.Index(fields=["customer", "id"], name="complaint_open_customer",
                         condition=open_condition(FINAL_STATES)),
            models.Index(fields=["category", "-received_at"], name="complaint_category_received"),
            # The default queue filtered by category: without it the planner may walk every open row.
            models.Index(fields=["category", "-received_at"], name="complaint_open_category",
                         condition=open_condition(FINAL_STATES)),
            # The monthly report's forum complaints carried over from earlier months (received before
            # the month, still open at its start): a few rows among a million.
            models.Index(fields=["received_at"], name="complaint_forum_received",
                         condition=models.Q(channel=Channel.ONLINE_FORUM)),
            # The desk's order (workflow.selectors.case_sorted): nearest deadline first, the cases
            # without one after, newest first — exactly this index's order, so a page is a short walk;
            # with the state, the overdue filter's count of open cases reads the index alone.
            models.Index(fields=["next_due_at", "-received_at", "-id"], include=["state"],
                         name="complaint_deadline_order"),
            # Overdue or due soon (sla.selectors): the open cases only, both times in the index, so
            # counting them never visits the table.
            models.Index(fields=["due_soon_at", "next_due_at"], name="complaint_due_soon",
                         condition=open_condition(FINAL_STATES)),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.state not in FINAL_STATES

    @property
    def sla_case_kind(self) -> str:
        """Which SLA policies apply: repair requests have their own (SPEC §3)."""
        return self.kind

    @property
    def callbacks_required(self) -> int:
        return 2 if self.category in TWO_CALLBACK_CATEGORIES else 1

    # --- lifecycle -------------------------------------------------------------

    @transition(field=state, source=State.REGISTERED, target=State.CONTACTED, permission=policy.is_service_desk_member)
    def contact(self, *, at):
        self.first_contacted_at = at

    @transition(field=state, source=State.REGISTERED, target=State.CLOSED, permission=policy.is_service_desk_member,
                conditions=[lambda c: not c.is_major])
    def resolve_on_the_spot(self, *, callback, at):
        """首问责任制 (seed 004): the first responder solved the issue during the call and the customer
        confirmed it there: contacted, called back (the customer's confirmation) and closed at once.
        Not a major complaint: it owes the manager a written report first."""
        self.first_contacted_at = at
        self._close(ClosureType.SATISFIED, at)

    @transition(field=state, source=State.CONTACTED, target=State.ASSIGNED, permission=policy.is_service_desk_member)
    def dispatch(self, *, unit: ResponsibleUnit, at):
        self.responsible_unit = unit
        self.dispatched_at = at
        if self.counted_unit_id is None:
            self.counted_unit = unit

    @transition(field=state, source=WITH_THE_UNIT, target=State.ASSIGNED, permission=policy.is_service_desk_member,
                conditions=[lambda c: c.counted_unit_id is not None and not c.invalid_proposed])
    def transfer(self, *, to_unit: ResponsibleUnit, at):
        """The desk or the manager moves the case to another unit (sent to the wrong one, or the customer
        asks for another provider). It keeps counting against the first unit (seed 001 5.2.2.1) and
        the new unit's clocks start a new round."""
        self.responsible_unit = to_unit
        self.dispatched_at = at
        self._new_round()

    @transition(field=state, source=State.ASSIGNED, target=State.CONTACTED, permission=policy.is_unit_handler)
    def hand_back(self):
        """The unit gives the case back to the desk (not its business): it leaves the unit's queue and
        the desk dispatches it again, to another unit."""
        self.responsible_unit = None
        self._new_round()

    @transition(field=state, source=State.ASSIGNED, target=None, permission=policy.is_unit_handler)
    def reply_preliminary(self):
        """Seed 001 5.2: within 24 hours (providers) or 3 working days the unit replies with a
        preliminary or a final result ("初步处理结果或最终处理结果"). A preliminary reply meets that
        clock without proposing a solution yet; the state stays."""

    @transition(field=state, source=State.ASSIGNED, target=State.PENDING_APPROVAL, permission=policy.is_unit_handler,
                conditions=[lambda complaint: complaint.kind == Kind.COMPLAINT])
    def propose(self, *, root_cause: str, solution: str, resolution_type: str, resolution_amount):
        self.validity = Validity.VALID
        self.invalid_proposed = False
        self.root_cause = root_cause
        self.solution = solution
        self.resolution_type = resolution_type
        self.resolution_amount = resolution_amount

    @transition(
        field=state, source=State.CONTACTED, target=State.PENDING_APPROVAL, permission=policy.is_service_desk_member
    )
    def propose_invalid(self, *, reason: str):
        self.invalid_proposed = True
        self.closure_reason = reason

    @transition(
        field=state,
        source=State.PENDING_APPROVAL,
        target=RETURN_VALUE(State.APPROVED, State.CLOSED),
        permission=policy.is_the_manager,
    )
    def approve(self, *, at):
        if self.invalid_proposed:
            self.validity = Validity.INVALID
            self._close(ClosureType.INVALID, at)
            return State.CLOSED
        return State.APPROVED

    @transition(
        field=state,
        source=State.PENDING_APPROVAL,
        target=RETURN_VALUE(State.ASSIGNED, State.CONTACTED),
        permission=policy.is_the_manager,
    )
    def reject(self):
        if self.invalid_proposed:
            # A refused invalid-closure returns to the desk, which then dispatches it.
            self.invalid_proposed = False
            self.closure_reason = ""
            return State.CONTACTED
        self._new_round()
        return State.ASSIGNED

    @transition(field=state, source=State.APPROVED, target=State.IN_PROGRESS, permission=policy.is_service_desk_member)
    def customer_agrees(self):
        pass

    @transition(field=state, source=State.APPROVED, target=State.ASSIGNED, permission=policy.is_service_desk_member)
    def customer_disagrees(self):
        self._new_round()

    # A repair request (报修, seed 001 6.2.6-6.2.7) goes from dispatch straight to the provider's
    # result: no solution to approve and no customer agreement.
    @transition(field=state, source=[State.IN_PROGRESS, State.ASSIGNED], target=State.RESOLVED,
                permission=policy.is_unit_handler,
                conditions=[lambda c: c.state == State.IN_PROGRESS or c.kind == Kind.REPAIR_REQUEST])
    def implement(self, *, report: str, at):
        self.implementation_report = report
        self.resolved_at = at

    @transition(
        field=state,
        source=State.RESOLVED,
        target=RETURN_VALUE(State.RESOLVED, State.CONTACTED, State.CLOSED),
        permission=policy.is_service_desk_member,
    )
    def record_callback(self, *, callback, at):
        """Decide from this round's callbacks (the given one already saved) where the case goes."""
        if callback.reopens_case:
            # Seed 004: "若顾客不满意，则重新从第二步开始处理" — back to the desk, which decides
            # again which unit investigates (the same one by default).
            self.reopen_count += 1
            self.resolved_at = None
            self._new_round()
            return State.CONTACTED
        this_round = self.callbacks.filter(round=callback.round)
        if callback.is_unreachable:
            if this_round.filter(outcome=callback.Outcome.UNREACHABLE).count() >= UNREACHABLE_ATTEMPTS_TO_CLOSE:
                self._close(ClosureType.UNREACHABLE, at)
                return State.CLOSED
            return State.RESOLVED
        if this_round.filter(outcome__in=callback.ACCEPTING_OUTCOMES).count() >= self.callbacks_required:
            self._close(ClosureType.SATISFIED, at)
            return State.CLOSED
        return State.RESOLVED

    @transition(field=state, source=PROGRESS_STATES, target=None, permission=policy.is_service_desk_member)
    def reply_progress(self):
        """Tell the customer how the case stands (the 5-working-day progress reply); the state stays."""

    @transition(field=state, source=WITH_THE_UNIT, target=None, permission=policy.is_unit_handler)
    def report_status(self):
        """Seed 001 5.3: until the case is closed the unit keeps reporting its latest status (服务商要
        继续回复最新处理状况); the report goes on the timeline and the desk is told. The state stays."""

    @transition(field=state, source=OPEN_STATES, target=None, permission=policy.is_service_desk_member,
                conditions=[lambda complaint: complaint.is_major])
    def report_major(self):
        """File the written report a major complaint needs within 2 working days; the state stays."""

    @transition(field=state, source=OPEN_STATES, target=State.CLOSED, permission=policy.is_the_manager)
    def force_close(self, *, reason: str, at):
        self.closure_reason = reason
        self._close(ClosureType.FORCED, at)

    def _new_round(self) -> None:
        self.unit_round += 1

    def _close(self, closure_type: str, at) -> None:
        self.closure_type = closure_type
        self.closed_at = at
