"""SPEC §5's default SLA policies; admins edit them afterwards."""

from django.db import migrations

WD, H = "working_days", "clock_hours"
COMMON = [
    # milestone, priority, unit kind, target, unit
    ("first_contact", "", "", 24, H),
    ("progress_reply", "", "", 5, WD),
    ("unit_solution", "", "", 3, WD),
    ("unit_solution", "", "provider", 24, H),
    ("callback", "", "", 5, WD),
    ("major_report", "", "", 2, WD),
]
DEFAULTS = {
    "complaint": COMMON + [
        ("resolution", "", "", 10, WD),
        ("resolution", "high", "", 3, WD),
        ("resolution", "urgent", "", 1, WD),
    ],
    "repair_request": COMMON + [("resolution", "", "", 3, WD)],
    "proposal": [
        ("proposal_feedback", "", "", 10, WD),
        ("proposal_feedback", "urgent", "", 3, WD),
    ],
}


def create(apps, schema_editor):
    SlaPolicy = apps.get_model("sla", "SlaPolicy")
    for case_kind, rows in DEFAULTS.items():
        for milestone, priority, unit_kind, target, unit in rows:
            SlaPolicy.objects.get_or_create(
                case_kind=case_kind, milestone=milestone, priority=priority, unit_kind=unit_kind,
                defaults={"target": target, "target_unit": unit},
            )


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
