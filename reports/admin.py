from django.contrib import admin

from .models import MonthlyReportMailing, UnitAssessmentInput


@admin.register(UnitAssessmentInput)
class UnitAssessmentInputAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "awards", "outstanding"]
    list_filter = ["year"]


@admin.register(MonthlyReportMailing)
class MonthlyReportMailingAdmin(admin.ModelAdmin):
    list_display = ["month", "sent_at", "recipients"]

    def has_add_permission(self, request):
        return False
