"""Who may change whom in the Django admin (issue 8).

A superuser (made on the command line with createsuperuser) may do anything. The admin role
manages people within the four roles: it creates users, sets passwords, activates and
deactivates them, and puts them in the role groups and in responsible units. Nothing more:
superuser status, staff status beyond the admin role, individual permissions or a group's
permissions would each let it grant itself view_personal_data and export unmasked phones.

The limits are enforced on the server: fields the role may not set are read-only, so its
forms have no such field and a crafted POST is never read; the groups it may pick are the
four roles only; a superuser's account and the groups themselves refuse its changes.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from .models import ResponsibleUnit
from .roles import Role

User = get_user_model()


class UserWithUnitsForm(UserChangeForm):
    """The user's page also says which responsible units a handler belongs to."""

    responsible_units = forms.ModelMultipleChoiceField(
        ResponsibleUnit.objects.all(), required=False, label=_("Responsible units"),
        widget=FilteredSelectMultiple(_("Responsible units"), is_stacked=False),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["responsible_units"].initial = self.instance.responsible_units.all()

    def _save_m2m(self):
        super()._save_m2m()
        self.instance.responsible_units.set(self.cleaned_data["responsible_units"])


class RoleUserAdmin(UserAdmin):
    form = UserWithUnitsForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "responsible_units",
                                       "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        # is_staff follows the admin role (save_model); user_permissions is also left out of the page.
        return ("is_staff", "is_superuser", "user_permissions", "last_login", "date_joined")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets  # the add form: user name and password only
        hidden = set() if request.user.is_superuser else {"user_permissions"}
        if not self.has_change_permission(request, obj):
            hidden.add("responsible_units")  # a form-only field: the read-only page has no way to show it
        return [(name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
                for name, options in fieldsets]

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            # Any other group may carry permissions the role must not hand out.
            kwargs["queryset"] = Group.objects.filter(name__in=Role.values)
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)

    def has_change_permission(self, request, obj=None):
        # A superuser's account (its password above all) is a superuser's business.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Cases name their people: the role deactivates a user instead.
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser and "groups" in form.cleaned_data:
            before = set(obj.groups.values_list("name", flat=True)) if change else set()
            chosen = list(form.cleaned_data["groups"])
            # Groups outside the roles were given by a superuser and are not on the role's form: keep them.
            form.cleaned_data["groups"] = chosen + list(obj.groups.exclude(name__in=Role.values))
            # Staff status (entry to this admin) comes and goes with the admin role, and only with it.
            now_admin = any(group.name == Role.ADMIN for group in chosen)
            if now_admin != (Role.ADMIN in before):
                obj.is_staff = now_admin
        super().save_model(request, obj, form, change)


class RoleGroupAdmin(GroupAdmin):
    """Read-only for everyone but a superuser: a group's permissions are what the roles may do."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


for model, model_admin in ((User, RoleUserAdmin), (Group, RoleGroupAdmin)):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
