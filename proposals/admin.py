from django.contrib import admin
from django.db.models import F

from .models import Proposal, ProposalTarget


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """Corrections by an administrator. The state changes only through the pages' actions."""

    list_display = ["number", "subject", "customer", "category", "priority", "state", "responsible_unit",
                    "received_at", "cost_reduction"]
    list_filter = ["state", "category", "priority", "channel", "decision", "extended"]
    search_fields = ["number", "subject", "customer__name", "customer__phone"]
    date_hierarchy = "received_at"
    list_select_related = ["customer", "responsible_unit"]
    raw_id_fields = ["customer", "first_responder"]
    readonly_fields = ["number", "state", "version", "extended", "created_at", "acknowledged_at", "routed_at",
                       "evaluated_at", "feedback_at", "implemented_at", "closed_at"]

    def has_delete_permission(self, request, obj=None):
        # A proposal is a record of what a customer gave us: archived or closed, never deleted.
        return False

    def save_model(self, request, obj, form, change):
        # An admin correction is a change too: forms open elsewhere become stale.
        if change:
            obj.version = F("version") + 1
        super().save_model(request, obj, form, change)
        obj.refresh_from_db()


@admin.register(ProposalTarget)
class ProposalTargetAdmin(admin.ModelAdmin):
    list_display = ["year", "half", "target_count", "target_adopted"]
    list_filter = ["year"]
