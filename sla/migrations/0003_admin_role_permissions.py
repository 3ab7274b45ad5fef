"""The admin role edits the calendar and the SLA policies (and reads notifications) in the Django admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin, _ = Group.objects.get_or_create(name="admin")
    admin.permissions.add(*Permission.objects.filter(content_type__app_label="sla"))
    admin.permissions.add(*Permission.objects.filter(content_type__app_label="casework",
                                                     content_type__model="notification"))


class Migration(migrations.Migration):
    dependencies = [("sla", "0002_default_policies"), ("casework", "0003_notification")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
