from django.contrib import admin

from .models import Callback


@admin.register(Callback)
class CallbackAdmin(admin.ModelAdmin):
    list_display = ["complaint", "round", "outcome", "false_reply", "called_by", "called_at"]
    list_filter = ["outcome", "false_reply"]
    raw_id_fields = ["complaint"]

    def has_add_permission(self, request):
        # Callbacks are recorded on the complaint page, where they move the case.
        return False
