from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from casework.admin_site import ReadOnlyAdminMixin

from .models import Callback, SurveyQuestion, SurveyTemplate, SurveyTemplateVersion


@admin.register(Callback)
class CallbackAdmin(admin.ModelAdmin):
    list_display = ["complaint", "round", "outcome", "false_reply", "called_by", "called_at"]
    list_filter = ["outcome", "false_reply"]
    raw_id_fields = ["complaint"]

    def has_add_permission(self, request):
        # Callbacks are recorded on the complaint page, where they move the case.
        return False


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Questionnaires are looked at here, never edited: an edit in place would change the questions
    under answers already given. A new version is made on the planning page (template_revise)."""


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class VersionInline(ReadOnlyInline):
    model = SurveyTemplateVersion
    fields = readonly_fields = ["number", "created_at", "created_by"]
    show_change_link = True


class QuestionInline(ReadOnlyInline):
    model = SurveyQuestion
    fields = readonly_fields = ["position", "kind", "text_zh", "text_en", "choices_zh", "choices_en", "required"]


@admin.register(SurveyTemplate)
class SurveyTemplateAdmin(ReadOnlyAdmin):
    list_display = ["name", "created_at", "new_version"]
    inlines = [VersionInline]

    @admin.display(description=_("edit"))
    def new_version(self, template):
        return format_html('<a href="{}">{}</a>', reverse("survey_planning:template_revise", args=[template.pk]),
                           _("New version"))


@admin.register(SurveyTemplateVersion)
class SurveyTemplateVersionAdmin(ReadOnlyAdmin):
    list_display = ["template", "number", "created_at", "created_by"]
    list_filter = ["template"]
    inlines = [QuestionInline]
