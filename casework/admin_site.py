"""The admin site, with what every admin page checks before it reaches the database.

Django's admin trusts its own links: a hand-made query string (?received_at__year=99999999999,
?read_at__gte=0001-01-01, a 100,000-character search) or a forged action selection raised
errors that became 500s. Every ModelAdmin registered here (Django's User and Group too) gets
SafeAdminMixin, so a bad value is answered as the admin answers a bad filter link (?e=1) or
with 400, and a newly registered model cannot forget it."""

from __future__ import annotations

from datetime import UTC, datetime

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import BadRequest, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Longer searches are cut: SQLite refuses LIKE patterns past 50,000 bytes, and nobody types 200 characters.
SEARCH_MAX_CHARS = 200


class ReadOnlyAdminMixin:
    """Rows the admin shows and never adds, changes or deletes: records of what happened, which
    other rows name (the timeline, who called, corrections, clocks, questionnaires)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BoundedChangeList(ChangeList):
    """A filter value Python or the database cannot hold (year 0 or 10000, a number past 64 bits) is
    an incorrect lookup, like any other bad filter link, instead of an OverflowError."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:  # date_hierarchy builds datetime(year, month, day)
            raise IncorrectLookupParameters(error) from error

    def get_results(self, request):
        try:
            super().get_results(request)
        except OverflowError as error:  # converting an edge-of-time bound to UTC for the query
            raise IncorrectLookupParameters(error) from error


class BoundedDateFieldListFilter(admin.DateFieldListFilter):
    """The date filter's own links carry aware times; a hand-typed bound is read in the current time
    zone (not naively) and refused when it cannot be a time the database holds."""

    def queryset(self, request, queryset):
        field = forms.DateTimeField() if isinstance(self.field, models.DateTimeField) else forms.DateField()
        for name in (self.lookup_kwarg_since, self.lookup_kwarg_until):
            if name not in self.used_parameters:
                continue
            try:
                bounds = [field.clean(value) for value in self.used_parameters[name]]
                for bound in bounds:
                    if isinstance(bound, datetime):
                        bound.astimezone(UTC)  # year 1 in Beijing is year 0 in UTC
            except (ValidationError, OverflowError) as error:
                raise IncorrectLookupParameters(error) from error
            self.used_parameters[name] = bounds
        return super().queryset(request, queryset)


admin.FieldListFilter.register(lambda f: isinstance(f, models.DateField), BoundedDateFieldListFilter,
                               take_priority=True)


class BoundedSplitDateTimeField(forms.SplitDateTimeField):
    """A date and time typed into an admin form that no database can hold (1 January of year 1 in
    Beijing is year 0 in UTC) is a field error, not an OverflowError while reading or saving it."""

    def compress(self, data_list):
        try:
            value = super().compress(data_list)
            if value is not None:
                value.astimezone(UTC)
        except OverflowError as error:
            raise ValidationError(_("Enter a date and time between the years 2 and 9998."), code="invalid") from error
        return value


class SafeAdminMixin:
    def get_changelist(self, request, **kwargs):
        return BoundedChangeList

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DateTimeField) and db_field.editable and not db_field.choices:
            kwargs.setdefault("form_class", BoundedSplitDateTimeField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_term[:SEARCH_MAX_CHARS])

    def response_action(self, request, queryset):
        """The selected rows are primary keys: anything else is a forged form, not a server error."""
        pk = self.model._meta.pk
        try:
            for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                pk.to_python(value)
        except ValidationError as error:
            raise BadRequest("Selected rows must be identified by their primary keys.") from error
        return super().response_action(request, queryset)

    def get_export_queryset(self, request):
        """Exports (django-import-export) read the changelist's filters without its ?e=1 fallback."""
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters as error:
            raise BadRequest(str(error)) from error


class SafeAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, SafeAdminMixin):
            admin_class = type(admin_class.__name__, (SafeAdminMixin, admin_class),
                               {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__})
        return super().register(model_or_iterable, admin_class, **options)


class SafeAdminConfig(AdminConfig):
    """Installed instead of django.contrib.admin: the default admin.site is a SafeAdminSite."""

    default_site = "casework.admin_site.SafeAdminSite"
