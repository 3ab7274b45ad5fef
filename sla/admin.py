from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from casework.admin_site import ReadOnlyAdminMixin
from casework.resources import SpreadsheetSafeResource
from casework.tasks import enqueue

from .calendar_changes import CalendarChange, calendar_recompute_enqueue
from .models import CalendarDay, Escalation, Milestone, SlaPolicy

RECOMPUTING = _("Open deadlines that counted over the changed days are being recomputed.")


def _stored_date(pk):
    """The date a calendar row has in the database (an edit may move it: both days change)."""
    return CalendarDay.objects.filter(pk=pk).values_list("date", flat=True).first() if pk else None


class CalendarDayResource(SpreadsheetSafeResource):
    class Meta:
        model = CalendarDay
        fields = ("id", "date", "kind", "name")
        use_transactions = True  # all rows or none

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.calendar_change = CalendarChange()

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        self.calendar_change.touch(instance.date, _stored_date(instance.pk))

    def before_delete_instance(self, instance, row, **kwargs):
        super().before_delete_instance(instance, row, **kwargs)
        self.calendar_change.touch(_stored_date(instance.pk))

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run") and not result.has_errors() and not result.has_validation_errors():
            calendar_recompute_enqueue(days=self.calendar_change.changed_days())


@admin.register(CalendarDay)
class CalendarDayAdmin(ImportExportModelAdmin):
    """Holidays and make-up working days; imports are all-or-nothing with a preview."""

    resource_classes = [CalendarDayResource]
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]

    # A day that stops or starts being a working day moves the open deadlines counted over it:
    # a task after commit, so the page does not wait for a million clocks.
    def _recomputing(self, request, change: CalendarChange) -> None:
        if calendar_recompute_enqueue(days=change.changed_days()):
            messages.info(request, RECOMPUTING)

    def save_model(self, request, obj, form, change):
        calendar_change = CalendarChange()
        calendar_change.touch(obj.date, _stored_date(obj.pk))
        super().save_model(request, obj, form, change)
        self._recomputing(request, calendar_change)

    def delete_model(self, request, obj):
        calendar_change = CalendarChange()
        calendar_change.touch(_stored_date(obj.pk))
        super().delete_model(request, obj)
        self._recomputing(request, calendar_change)

    def delete_queryset(self, request, queryset):
        calendar_change = CalendarChange()
        calendar_change.touch(*queryset.values_list("date", flat=True))
        super().delete_queryset(request, queryset)
        self._recomputing(request, calendar_change)


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


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Written by the lifecycle and the sweep only."""


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
