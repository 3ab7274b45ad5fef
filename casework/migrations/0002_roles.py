"""Create the four roles of SPEC §1 as groups. The pages' policies decide by group;
the administrator role also gets the model permissions the Django admin needs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ["agent", "handler", "manager", "admin"]
ADMIN_APPS = ["auth", "casework", "complaints", "satisfaction"]


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the admin role needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    admin = Group.objects.get(name="admin")
    admin.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=ADMIN_APPS).exclude(codename="view_personal_data")
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0001_initial"),
        ("complaints", "0001_initial"),
        ("satisfaction", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
