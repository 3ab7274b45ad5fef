"""Satisfaction surveys (SPEC §6, seed 002 第十一条–第十四条): versioned templates of questions,
campaigns per period and audience, and the survey — a case with its own lifecycle, due date and
timeline — with the answers given. The @transition methods are the survey's lifecycle."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from casework.date_bounds import validate_calendar_date
from casework.models import CaseQuerySet, ChoiceLabelsMixin, Customer, ResponsibleUnit, open_condition
from workflow.policy import is_service_desk_member

from .choices import (
    AWAITING_ANSWER,
    FINAL_STATES,
    OPEN_STATES,
    SCORE_MAX,
    SCORE_MIN,
    Audience,
    CampaignStatus,
    ContactMethod,
    QuestionKind,
    SurveyState,
)
from .policy import is_the_system, may_send


class SurveyTemplate(models.Model):
    """A questionnaire. Its questions live in versions: an edit makes a new version, and answers
    already given keep pointing at the version they answered."""

    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("survey template")
        verbose_name_plural = _("survey templates")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def latest_version(self) -> SurveyTemplateVersion | None:
        return self.versions.order_by("-number").first()


class SurveyTemplateVersion(models.Model):
    template = models.ForeignKey(SurveyTemplate, verbose_name=_("template"), on_delete=models.PROTECT,
                                 related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("survey template version")
        verbose_name_plural = _("survey template versions")
        ordering = ["template", "number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="survey_template_version_once")]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"


class SurveyQuestion(models.Model):
    version = models.ForeignKey(SurveyTemplateVersion, verbose_name=_("template version"), on_delete=models.CASCADE,
                                related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=8, choices=QuestionKind.choices)
    text_zh = models.CharField(_("question (Chinese)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300)
    # Single choice: the options, the same number in each language (stored answers keep the Chinese).
    choices_zh = models.JSONField(_("options (Chinese)"), default=list, blank=True)
    choices_en = models.JSONField(_("options (English)"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "position"], name="survey_question_position_once")]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return self.text_en if (get_language() or "").startswith("en") else self.text_zh

    @property
    def options(self) -> list[tuple[str, str]]:
        """(stored value, label in the current language) of a single-choice question."""
        labels = self.choices_en if (get_language() or "").startswith("en") else self.choices_zh
        return list(zip(self.choices_zh, labels, strict=False))


class SurveyCampaign(models.Model):
    """A round of surveys for one audience and period, planned from seed 002's rules and approved
    by a manager before anything is sent."""

    name = models.CharField(_("name"), max_length=200)
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    period_start = models.DateField(_("period from"), validators=[validate_calendar_date])
    period_end = models.DateField(_("period to"), validators=[validate_calendar_date])
    template_version = models.ForeignKey(SurveyTemplateVersion, verbose_name=_("questionnaire"),
                                         on_delete=models.PROTECT, related_name="campaigns")
    contact_method = models.CharField(_("contact method"), max_length=16, choices=ContactMethod.choices)
    # Each survey of the campaign is due this many days after it was sent (its answer, or a decision).
    answer_within_days = models.PositiveSmallIntegerField(
        _("answer within (days)"), default=14, validators=[MinValueValidator(1), MaxValueValidator(90)])
    status = models.CharField(_("status"), max_length=10, choices=CampaignStatus.choices,
                              default=CampaignStatus.PROPOSED)
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("planned by"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        ordering = ["-period_start", "pk"]

    def __str__(self) -> str:
        return self.name


class Survey(ChoiceLabelsMixin, ConcurrentTransitionMixin, models.Model):
    """One customer asked once: a case with a number, a lifecycle, a due date and a timeline."""

    FINAL_STATES = FINAL_STATES

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    campaign = models.ForeignKey(SurveyCampaign, verbose_name=_("campaign"), on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="surveys")
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="surveys")
    # The unit whose service is rated (the satisfaction index per unit), if any.
    responsible_unit = models.ForeignKey(ResponsibleUnit, verbose_name=_("unit rated"), on_delete=models.PROTECT,
                                         null=True, blank=True, related_name="surveys")
    # The special survey after a (major) complaint.
    complaint = models.ForeignKey("complaints.Complaint", verbose_name=_("complaint"), on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="surveys")
    template_version = models.ForeignKey(SurveyTemplateVersion, verbose_name=_("questionnaire"),
                                         on_delete=models.PROTECT, related_name="surveys")
    contact_method = models.CharField(_("contact method"), max_length=16, choices=ContactMethod.choices)
    state = FSMField(_("state"), max_length=12, choices=SurveyState.choices, default=SurveyState.PLANNED,
                     protected=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    first_responder = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT,
                                        related_name="surveys_owned")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    due_at = models.DateTimeField(_("answer due"), null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True, editable=False)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    # The one-time link: only a digest of its secret is kept, so the table cannot hand out links.
    link_digest = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    link_expires_at = models.DateTimeField(_("link expires at"), null=True, blank=True, editable=False)
    link_used_at = models.DateTimeField(_("link used at"), null=True, blank=True, editable=False)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["campaign", "state"], name="survey_campaign_state"),
            models.Index(fields=["responsible_unit", "answered_at"], name="survey_unit_answered"),
            models.Index(fields=["-created_at"], name="survey_open_created", condition=open_condition(FINAL_STATES)),
            # The expiry task's every-five-minutes look for surveys past their due time.
            models.Index(fields=["due_at"], name="survey_awaiting_due",
                         condition=models.Q(state__in=AWAITING_ANSWER)),
        ]
        constraints = [
            # One special survey per complaint.
            models.UniqueConstraint(fields=["complaint"], name="survey_once_per_complaint",
                                    condition=models.Q(complaint__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.customer}"

    @property
    def is_open(self) -> bool:
        return self.state not in FINAL_STATES

    @property
    def sla_case_kind(self) -> str:
        return "survey"

    # --- lifecycle -------------------------------------------------------------

    def may_be_sent(self) -> bool:
        """A campaign's survey goes out only once a manager approved its campaign; a special survey
        (after a complaint, no campaign) needs no approval."""
        return self.campaign_id is None or self.campaign.status == CampaignStatus.APPROVED

    def _rate_the_complaints_unit(self) -> None:
        """A special survey planned at intake, before its complaint had a unit, rates the unit the
        complaint counts against (or is with) by the time the survey moves on."""
        if self.responsible_unit_id is None and self.complaint_id is not None:
            self.responsible_unit_id = self.complaint.counted_unit_id or self.complaint.responsible_unit_id

    @transition(field=state, source=SurveyState.PLANNED, target=SurveyState.SENT, permission=may_send,
                conditions=[may_be_sent])
    def send(self, *, at, due_at):
        self.sent_at, self.due_at = at, due_at
        self._rate_the_complaints_unit()

    @transition(field=state, source=SurveyState.SENT, target=SurveyState.REMINDED, permission=is_service_desk_member)
    def remind(self, *, at):
        self.reminded_at = at

    # Like sending, nothing of an unapproved campaign's survey moves (a phone or visit campaign is
    # never "sent").
    @transition(field=state, source=OPEN_STATES, target=SurveyState.ANSWERED, permission=is_service_desk_member,
                conditions=[may_be_sent])
    def record_answers(self, *, at, answered_via):
        """Staff enter the answers given on the phone or at a visit; the survey records how it was
        actually answered (the year's visit to a key customer counts what happened, not the plan)."""
        self._close(at)
        self.answered_at = at
        self.contact_method = answered_via
        self._rate_the_complaints_unit()

    @transition(field=state, source=AWAITING_ANSWER, target=SurveyState.ANSWERED, permission=is_the_system)
    def answer_by_link(self, *, at):
        """The customer answers through the one-time link (no user: the link is the permission): a
        questionnaire answered in writing, whatever contact was planned."""
        self._close(at)
        self.answered_at = self.link_used_at = at
        if self.contact_method not in (ContactMethod.LETTER, ContactMethod.EMAIL):
            self.contact_method = ContactMethod.EMAIL

    @transition(field=state, source=OPEN_STATES, target=SurveyState.UNREACHABLE, permission=is_service_desk_member,
                conditions=[may_be_sent])
    def mark_unreachable(self, *, at):
        self._close(at)
        self._rate_the_complaints_unit()

    @transition(field=state, source=AWAITING_ANSWER, target=SurveyState.EXPIRED, permission=is_the_system)
    def expire(self, *, at):
        """No answer by the due date (the sweep's doing, not a person's)."""
        self._close(at)

    def _close(self, at) -> None:
        self.closed_at = at


class SurveyAnswer(models.Model):
    """One question's answer in one survey; the question belongs to the version the survey used."""

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, verbose_name=_("question"), on_delete=models.PROTECT,
                                 related_name="answers")
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True,
                                             validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)])
    choice = models.CharField(_("choice"), max_length=200, blank=True)
    text = models.TextField(_("answer"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["survey", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "question"], name="survey_answer_once"),
            models.CheckConstraint(condition=models.Q(score__isnull=True)
                                   | models.Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                                   name="survey_answer_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.question_id}"
