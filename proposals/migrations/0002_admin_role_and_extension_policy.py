"""The admin role manages proposals and targets in the Django admin; SPEC §5's extended
proposal feedback (15 working days) becomes an admin-editable SLA policy like the others."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin, _ = Group.objects.get_or_create(name="admin")
    admin.permissions.add(*Permission.objects.filter(content_type__app_label="proposals"))
    apps.get_model("sla", "SlaPolicy").objects.get_or_create(
        case_kind="proposal", milestone="proposal_feedback", priority="extended", unit_kind="",
        defaults={"target": 15, "target_unit": "working_days"})


def backwards(apps, schema_editor):
    apps.get_model("sla", "SlaPolicy").objects.filter(
        case_kind="proposal", milestone="proposal_feedback", priority="extended").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0001_initial"),
        ("sla", "0004_escalation_level_label"),
        ("casework", "0002_roles"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
