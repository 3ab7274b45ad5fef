"""The admin role may look at the questionnaires and their versions in the Django admin (read-only
there: a new version is made on the planning page). The models came after the role's permissions
were granted (casework 0002), so the admin's list of them was refused."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["surveytemplate", "surveytemplateversion"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin, _ = Group.objects.get_or_create(name="admin")
    admin.permissions.add(*Permission.objects.filter(content_type__app_label="satisfaction",
                                                     codename__in=[f"view_{model}" for model in MODELS]))


class Migration(migrations.Migration):
    dependencies = [("satisfaction", "0005_customer_messages_any_case"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
