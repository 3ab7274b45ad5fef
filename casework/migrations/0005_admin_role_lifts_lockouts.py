"""The admin role lifts login lock-outs in the Django admin: it reads django-axes' attempts and logs,
and deletes an attempt to unlock. The logs stay read-only: they are the record of who tried what."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_accessattempt", "delete_accessattempt", "view_accesslog", "view_accessfailurelog"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the admin role needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    admin, _ = apps.get_model("auth", "Group").objects.get_or_create(name="admin")
    admin.permissions.add(*apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="axes", codename__in=CODENAMES))


def revoke(apps, schema_editor):
    admin = apps.get_model("auth", "Group").objects.filter(name="admin").first()
    if admin:
        admin.permissions.remove(*admin.permissions.filter(content_type__app_label="axes", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [("casework", "0004_drop_lone_case_type_index"), ("axes", "0010_accessattemptexpiration")]
    operations = [migrations.RunPython(grant, revoke)]
