from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


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
