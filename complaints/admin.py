from django.contrib import admin
from import_export.admin import ExportMixin

from casework.admin import CaseAdminMixin
from casework.personal_data import may_see_unmasked

from .models import Complaint
from .resources import ComplaintResource


@admin.register(Complaint)
class ComplaintAdmin(CaseAdminMixin, ExportMixin, admin.ModelAdmin):
    """Corrections by an administrator. The state changes only through the pages' actions."""

    list_display = ["number", "subject", "customer", "category", "priority", "state", "responsible_unit", "received_at"]
    list_filter = ["state", "category", "priority", "channel", "kind", "is_major"]
    search_fields = ["number", "subject", "customer__name", "customer__phone"]
    date_hierarchy = "received_at"
    list_select_related = ["customer", "responsible_unit"]
    raw_id_fields = ["customer", "repeat_of", "first_responder"]
    # What the lifecycle sets (with its timeline entry and SLA clocks) is not edited here;
    # the desk corrects priority and classification on the complaint's own page.
    readonly_fields = ["number", "state", "version", "priority", "severity", "is_major", "responsible_unit",
                       "validity", "invalid_proposed", "closure_type", "escalation_level", "reopen_count",
                       "created_at", "first_contacted_at", "dispatched_at", "resolved_at", "closed_at"]

    resource_classes = [ComplaintResource]

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "unmasked": may_see_unmasked(request.user)}

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).select_related("customer", "responsible_unit")
