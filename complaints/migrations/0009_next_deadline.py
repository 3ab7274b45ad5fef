from django.conf import settings
from django.db import migrations, models

from sla.next_deadline import cases_next_due_rebuild


def next_deadlines_from_clocks(apps, schema_editor):
    """Each complaint's nearest running deadline and when it is first due soon, from its clocks."""
    case_type = apps.get_model("contenttypes", "ContentType").objects.filter(app_label="complaints", model="complaint").first()
    if case_type is not None:  # none yet in a new database: no clocks either
        cases_next_due_rebuild(cases=apps.get_model("complaints", "complaint").objects.all(),
                               clocks=apps.get_model("sla", "Milestone").objects.filter(case_type=case_type))


class Migration(migrations.Migration):

    dependencies = [
        ('casework', '0011_import_job'),
        ('complaints', '0008_contact_persons'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contenttypes', '0002_remove_content_type_name'),
        ('sla', '0008_survey_clock'),
    ]

    operations = [
        migrations.AddField(
            model_name='complaint',
            name='due_soon_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='due soon from'),
        ),
        migrations.AddField(
            model_name='complaint',
            name='next_due_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='next deadline'),
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(fields=['next_due_at', '-received_at', '-id'], include=('state',), name='complaint_deadline_order'),
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(condition=models.Q(('state', 'closed'), _negated=True), fields=['due_soon_at', 'next_due_at'], name='complaint_due_soon'),
        ),
        migrations.RunPython(next_deadlines_from_clocks, migrations.RunPython.noop),
    ]
