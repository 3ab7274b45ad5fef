from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from sla.admin import ReadOnlyAdmin

from .models import MonthlyReportMailing, MonthlyReportSnapshot, NegativeMediaExposure, UnitAssessmentInput, UnitTerms
from .periods import Month
from .snapshots import month_is_over, report_recalculate


@admin.register(UnitAssessmentInput)
class UnitAssessmentInputAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "awards", "outstanding"]
    list_filter = ["year"]


@admin.register(MonthlyReportMailing)
class MonthlyReportMailingAdmin(admin.ModelAdmin):
    list_display = ["month", "sent_at", "recipients"]

    def has_add_permission(self, request):
        return False


@admin.register(MonthlyReportSnapshot)
class MonthlyReportSnapshotAdmin(ReadOnlyAdmin):
    """Stored versions are evidence of what was reported: read here, never edited or deleted; the
    action stores a new version of the chosen months."""

    list_display = ["month", "version", "computed_at", "triggered_by"]
    list_filter = ["month"]
    readonly_fields = ["month", "version", "computed_at", "triggered_by", "figures"]
    actions = ["recalculate"]

    @admin.action(description=_("Recalculate the chosen months (store a new version)"))
    def recalculate(self, request, queryset):
        months = sorted({Month.parse(m) for m in queryset.values_list("month", flat=True)}, key=str)
        for month in months:
            if month_is_over(month):
                report = report_recalculate(month=month, by=request.user)
                self.message_user(request, _("%(month)s: version %(version)d stored.")
                                  % {"month": month, "version": report.version}, messages.SUCCESS)


@admin.register(UnitTerms)
class UnitTermsAdmin(ReadOnlyAdmin):
    """Written when a unit's limit or status changes (change them on the unit's own page)."""

    list_display = ["unit", "valid_from", "status", "monthly_complaint_limit"]
    list_filter = ["status"]
    search_fields = ["unit__code", "unit__name"]


@admin.register(NegativeMediaExposure)
class NegativeMediaExposureAdmin(admin.ModelAdmin):
    list_display = ["date", "unit", "recorded_by", "recorded_at"]
    list_filter = ["date"]
    search_fields = ["unit__code", "unit__name", "description"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
