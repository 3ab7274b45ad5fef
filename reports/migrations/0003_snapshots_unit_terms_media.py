"""Issue 10: stored monthly report versions, the units' limit and status history, negative media
exposures. Every existing unit gets a first history row with its present terms, valid since 2000."""

from importlib import import_module

import casework.date_bounds
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def record_present_terms(apps, schema_editor):
    from datetime import datetime, timezone

    Unit, UnitTerms = apps.get_model("casework", "ResponsibleUnit"), apps.get_model("reports", "UnitTerms")
    since = datetime(2000, 1, 1, tzinfo=timezone.utc)
    UnitTerms.objects.bulk_create(
        UnitTerms(unit_id=pk, valid_from=since, status=status, monthly_complaint_limit=limit)
        for pk, status, limit in Unit.objects.values_list("pk", "status", "monthly_complaint_limit").iterator())


# The admin role reads and writes the reports app's records in the admin: 0002's grant, run again
# for the models added here.
grant_admin_role = import_module("reports.migrations.0002_admin_role_permissions").grant


class Migration(migrations.Migration):

    dependencies = [
        ('casework', '0007_unit_status_transition'),
        ('reports', '0002_admin_role_permissions'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='MonthlyReportSnapshot',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.CharField(max_length=7, verbose_name='month')),
                ('version', models.PositiveSmallIntegerField(verbose_name='version')),
                ('computed_at', models.DateTimeField(verbose_name='computed at')),
                ('figures', models.JSONField(verbose_name='figures')),
                ('triggered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='triggered by')),
            ],
            options={
                'verbose_name': 'monthly report version',
                'verbose_name_plural': 'monthly report versions',
                'ordering': ['-month', '-version'],
                'constraints': [models.UniqueConstraint(fields=('month', 'version'), name='report_snapshot_month_version')],
            },
        ),
        migrations.CreateModel(
            name='NegativeMediaExposure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(validators=[casework.date_bounds.validate_calendar_date], verbose_name='date')),
                ('description', models.TextField(max_length=2000, verbose_name='description')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='recorded at')),
                ('recorded_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='media_exposures', to='casework.responsibleunit', verbose_name='responsible unit')),
            ],
            options={
                'verbose_name': 'negative media exposure',
                'verbose_name_plural': 'negative media exposures',
                'ordering': ['-date', '-pk'],
                'indexes': [models.Index(fields=['unit', 'date'], name='media_exposure_unit_date')],
            },
        ),
        migrations.CreateModel(
            name='UnitTerms',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('valid_from', models.DateTimeField(verbose_name='valid from')),
                ('status', models.CharField(max_length=16, verbose_name='status')),
                ('monthly_complaint_limit', models.PositiveIntegerField(verbose_name='monthly complaint limit')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='terms_history', to='casework.responsibleunit', verbose_name='responsible unit')),
            ],
            options={
                'verbose_name': 'unit limit and status change',
                'verbose_name_plural': 'unit limit and status history',
                'ordering': ['unit', '-valid_from', '-pk'],
                'indexes': [models.Index(fields=['unit', 'valid_from'], name='unit_terms_unit_from')],
            },
        ),
        migrations.RunPython(record_present_terms, migrations.RunPython.noop),
        migrations.RunPython(grant_admin_role, migrations.RunPython.noop),
    ]
