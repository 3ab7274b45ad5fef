from django.contrib import admin
from import_export.admin import ExportMixin

from casework.admin import CaseAdminMixin
from casework.personal_data import may_see_unmasked

from .models import Proposal, ProposalTarget
from .resources import ProposalResource


@admin.register(Proposal)
class ProposalAdmin(CaseAdminMixin, ExportMixin, admin.ModelAdmin):
    """Corrections by an administrator. The state changes only through the pages' actions."""

    list_display = ["number", "subject", "customer", "category", "priority", "state", "responsible_unit",
                    "received_at", "cost_reduction"]
    list_filter = ["state", "category", "priority", "channel", "decision", "extended"]
    search_fields = ["number", "subject", "customer__name", "customer__phone"]
    date_hierarchy = "received_at"
    list_select_related = ["customer", "responsible_unit"]
    raw_id_fields = ["customer", "first_responder"]
    # What the lifecycle sets (with its timeline entry and SLA clock) is not edited here.
    readonly_fields = ["number", "state", "version", "priority", "extended", "suggested_unit", "responsible_unit",
                       "decision", "opinion", "planned_implementation_on", "measures", "research_schedule",
                       "research_completion_planned_on", "research_schedule_at",
                       "handling_satisfaction", "implementation_report", "cost_reduction", "closure_reason",
                       "escalation_level", "created_at", "acknowledged_at", "routed_at", "evaluated_at", "feedback_at",
                       "implemented_at", "closed_at"]

    resource_classes = [ProposalResource]

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "unmasked": may_see_unmasked(request.user)}

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).select_related("customer", "responsible_unit")


@admin.register(ProposalTarget)
class ProposalTargetAdmin(admin.ModelAdmin):
    list_display = ["year", "half", "target_count", "target_adopted"]
    list_filter = ["year"]
