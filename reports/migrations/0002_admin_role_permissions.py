from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    admin, _ = apps.get_model("auth", "Group").objects.get_or_create(name="admin")
    admin.permissions.add(*apps.get_model("auth", "Permission").objects.filter(content_type__app_label="reports"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial"), ("casework", "0002_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
