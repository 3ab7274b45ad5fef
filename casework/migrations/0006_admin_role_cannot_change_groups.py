"""The admin role reads the groups but no longer changes, adds or deletes them, nor deletes users
(issue 8): a group's permissions decide what a role may do, so only a superuser sets them, and a
user named in cases is deactivated, not deleted. casework/admin_users.py enforces the same."""

from django.db import migrations

CODENAMES = ["add_group", "change_group", "delete_group", "delete_user",
             "add_permission", "change_permission", "delete_permission"]


def revoke(apps, schema_editor):
    admin = apps.get_model("auth", "Group").objects.filter(name="admin").first()
    if admin:
        admin.permissions.remove(*admin.permissions.filter(content_type__app_label="auth", codename__in=CODENAMES))


def grant(apps, schema_editor):
    admin = apps.get_model("auth", "Group").objects.filter(name="admin").first()
    if admin:
        admin.permissions.add(*apps.get_model("auth", "Permission").objects.filter(
            content_type__app_label="auth", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [("casework", "0005_admin_role_lifts_lockouts")]
    operations = [migrations.RunPython(revoke, grant)]
