from django.contrib import admin
from django.db.models import F

from .models import Complaint


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    """Corrections by an administrator. The state changes only through the pages' actions."""

    list_display = ["number", "subject", "customer", "category", "priority", "state", "responsible_unit", "received_at"]
    list_filter = ["state", "category", "priority", "channel", "kind", "is_major"]
    search_fields = ["number", "subject", "customer__name", "customer__phone"]
    date_hierarchy = "received_at"
    list_select_related = ["customer", "responsible_unit"]
    raw_id_fields = ["customer", "repeat_of", "first_responder"]
    readonly_fields = ["number", "state", "version", "severity", "closure_type", "created_at",
                       "first_contacted_at", "dispatched_at", "resolved_at", "closed_at"]

    def save_model(self, request, obj, form, change):
        # An admin correction is a change too: forms open elsewhere become stale.
        if change:
            obj.version = F("version") + 1
        super().save_model(request, obj, form, change)
        obj.refresh_from_db()
