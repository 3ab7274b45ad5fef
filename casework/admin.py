from django.contrib import admin
from django.db.models import F
from import_export.admin import ImportExportModelAdmin

from . import admin_users  # noqa: F401  (replaces auth's User and Group admins: who may change whom)
from .admin_site import ReadOnlyAdminMixin
from .models import (
    Attachment,
    CaseEvent,
    CaseNumberSequence,
    ContactPerson,
    Customer,
    CustomerCorrection,
    Notification,
    ResponsibleUnit,
)
from .personal_data import may_see_unmasked
from .resources import CustomerResource


class CaseAdminMixin:
    """What the admin may do to any case: correct it, never delete it (a case is a record of
    what happened: closed or archived, with its timeline and clocks)."""

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # An admin correction is a change too: forms open elsewhere become stale.
        if change:
            obj.version = F("version") + 1
        super().save_model(request, obj, form, change)
        obj.refresh_from_db()


class ContactPersonInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Who calls for the customer (added at intake). The cases name them, so they are not changed
    here: a contact's typo is corrected by the desk at the next intake, which adds the contact anew."""

    model = ContactPerson
    fields = ["name", "phone", "email", "created_at"]
    readonly_fields = fields
    extra = 0


class CustomerCorrectionInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The record's corrections made at intake: what the record said before."""

    model = CustomerCorrection
    fields = ["created_at", "field", "old_value", "new_value", "case_number", "actor"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Customer)
class CustomerAdmin(ImportExportModelAdmin):
    resource_classes = [CustomerResource]
    inlines = [ContactPersonInline, CustomerCorrectionInline]
    list_display = ["name", "organisation", "phone", "tier"]
    list_filter = ["tier"]
    search_fields = ["name", "organisation", "phone"]

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "unmasked": may_see_unmasked(request.user)}


@admin.register(ContactPerson)
class ContactPersonAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "phone", "customer", "created_at"]
    search_fields = ["name", "phone", "customer__name"]
    list_select_related = ["customer"]


@admin.register(CustomerCorrection)
class CustomerCorrectionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every correction of a customer's record made at intake, across customers."""

    list_display = ["created_at", "customer", "field", "old_value", "new_value", "case_number", "actor"]
    list_filter = ["field"]
    search_fields = ["customer__name", "case_number", "old_value", "new_value"]
    list_select_related = ["customer", "actor"]


@admin.register(ResponsibleUnit)
class ResponsibleUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "lead", "status", "monthly_complaint_limit"]
    list_filter = ["kind", "status"]
    search_fields = ["code", "name"]
    filter_horizontal = ["members"]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The timeline is evidence: readable here, never editable."""

    list_display = ["created_at", "case_type", "case_id", "kind", "action", "from_state", "to_state", "actor"]
    list_filter = ["kind", "case_type"]
    search_fields = ["note"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "case_type", "case_id", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request):
        return False


@admin.register(CaseNumberSequence)
class CaseNumberSequenceAdmin(admin.ModelAdmin):
    list_display = ["prefix", "period", "last_value"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "case_number", "message", "read_at", "emailed_at", "email_attempts"]
    list_filter = ["read_at", "emailed_at"]
    search_fields = ["case_number", "message", "recipient__username"]
    list_select_related = ["recipient"]

    def has_add_permission(self, request):
        return False
