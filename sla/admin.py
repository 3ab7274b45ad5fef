from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from casework.resources import SpreadsheetSafeResource
from casework.tasks import enqueue

from .models import CalendarDay, Escalation, Milestone, SlaPolicy


class CalendarDayResource(SpreadsheetSafeResource):
    class Meta:
        model = CalendarDay
        fields = ("id", "date", "kind", "name")
        use_transactions = True  # all rows or none


@admin.register(CalendarDay)
class CalendarDayAdmin(ImportExportModelAdmin):
    """Holidays and make-up working days; imports are all-or-nothing with a preview."""

    resource_classes = [CalendarDayResource]
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ["case_kind", "milestone", "priority", "unit_kind", "target", "target_unit"]
    list_filter = ["case_kind", "milestone"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"target", "target_unit"} & set(form.changed_data):
            from .tasks import policy_reapply_task

            transaction.on_commit(lambda: enqueue(policy_reapply_task, obj.pk))
            messages.info(request, _("Open deadlines that follow this policy are being recomputed."))


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the lifecycle and the sweep only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ["case_number", "kind", "status", "due_at", "met_at", "escalated_level", "unit"]
    list_filter = ["kind", "status", "escalated_level"]
    search_fields = ["case_number"]
    list_select_related = ["unit"]


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["milestone", "level", "created_at", "notified_at"]
    list_filter = ["level"]
    list_select_related = ["milestone"]
