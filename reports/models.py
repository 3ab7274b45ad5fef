from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.date_bounds import validate_calendar_date


class UnitAssessmentInput(models.Model):
    """What the annual unit assessment needs beyond the complaints: awards and outstanding work."""

    unit = models.ForeignKey("casework.ResponsibleUnit", verbose_name=_("responsible unit"), on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("year"))
    awards = models.PositiveSmallIntegerField(_("awards"), default=0)
    outstanding = models.DecimalField(
        _("outstanding work"), max_digits=3, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("0 to 1 point."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("unit assessment input")
        verbose_name_plural = _("unit assessment inputs")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="assessment_input_once_a_year")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"


class MonthlyReportMailing(models.Model):
    """One row per month mailed, so a beat that fires twice mails once."""

    month = models.CharField(max_length=7, unique=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.month


class UnitTerms(models.Model):
    """A responsible unit's monthly complaint limit and status from `valid_from` on: written whenever
    either changes (reports.apps connects it to the unit's post_save), so a past month's report reads
    the limit and status the unit had then, not what an admin set since."""

    unit = models.ForeignKey("casework.ResponsibleUnit", verbose_name=_("responsible unit"), on_delete=models.CASCADE,
                             related_name="terms_history")
    valid_from = models.DateTimeField(_("valid from"))
    status = models.CharField(_("status"), max_length=16)
    monthly_complaint_limit = models.PositiveIntegerField(_("monthly complaint limit"))

    class Meta:
        verbose_name = _("unit limit and status change")
        verbose_name_plural = _("unit limit and status history")
        ordering = ["unit", "-valid_from", "-pk"]
        indexes = [models.Index(fields=["unit", "valid_from"], name="unit_terms_unit_from")]

    def __str__(self) -> str:
        return f"{self.unit} {self.valid_from:%Y-%m-%d %H:%M} {self.status} {self.monthly_complaint_limit}"


class NegativeMediaExposure(models.Model):
    """Seed 001 5.1.5: negative media exposure caused by the unit; in a month it costs the unit that
    month's complaint-handling support. Recorded by a manager."""

    unit = models.ForeignKey("casework.ResponsibleUnit", verbose_name=_("responsible unit"), on_delete=models.PROTECT,
                             related_name="media_exposures")
    date = models.DateField(_("date"), validators=[validate_calendar_date])
    description = models.TextField(_("description"), max_length=2000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
                                    null=True, blank=True, editable=False, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("negative media exposure")
        verbose_name_plural = _("negative media exposures")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["unit", "date"], name="media_exposure_unit_date")]

    def __str__(self) -> str:
        return f"{self.unit} {self.date}"


class MonthlyReportSnapshot(models.Model):
    """A past month's report as it was computed: the mail on the 1st stores version 1 (or the first
    view of a month that is over, if no mail ran); an administrator's recalculation stores the next
    version and keeps the earlier ones. Pages and files of that month show the latest version."""

    month = models.CharField(_("month"), max_length=7)
    version = models.PositiveSmallIntegerField(_("version"))
    computed_at = models.DateTimeField(_("computed at"))
    triggered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("triggered by"),
                                     on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    figures = models.JSONField(_("figures"))

    class Meta:
        verbose_name = _("monthly report version")
        verbose_name_plural = _("monthly report versions")
        ordering = ["-month", "-version"]
        constraints = [models.UniqueConstraint(fields=["month", "version"], name="report_snapshot_month_version")]

    def __str__(self) -> str:
        return f"{self.month} v{self.version}"
