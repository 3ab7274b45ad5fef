"""The admin role reads a customer's contact persons and record corrections (issue 13's intake) in
the Django admin, read-only: the cases name them. The models came after the role's permissions
were granted (0002), so the role had none on them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "contactperson": ["view"],
    "customercorrection": ["view"],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin, _ = Group.objects.get_or_create(name="admin")
    for model, actions in GRANTS.items():
        admin.permissions.add(*Permission.objects.filter(
            content_type__app_label="casework", content_type__model=model,
            codename__in=[f"{action}_{model}" for action in actions]))


class Migration(migrations.Migration):
    dependencies = [("casework", "0012_search_grams"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
