"""The search box on PostgreSQL (casework.text_search): the proposals' subjects and numbers by their
grams, so that a part of either is found through an index rather than by reading every row. Each
twice: every proposal, for a search across states, and the open ones only (not closed or archived, the
condition of proposal_open_received), which the queue searches by default: a few megabytes whose
bitmap needs no AND with the open ones'. And a customer's open proposals by id, which the search by
phone or name counts without reading the rows (every database)."""

from django.db import migrations, models

from casework.text_search import gram_index_create

INDEXES = {
    "proposal_subject_grams": ("subject", ""),
    "proposal_number_grams": ("number", ""),
    "proposal_open_subject_grams": ("subject", """WHERE NOT ("state" IN ('closed', 'archived'))"""),
    "proposal_open_number_grams": ("number", """WHERE NOT ("state" IN ('closed', 'archived'))"""),
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, (column, condition) in INDEXES.items():
            gram_index_create(schema_editor, name=name, table="proposals_proposal", column=column, condition=condition)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    # The gram indexes are built CONCURRENTLY (casework.text_search.gram_index_create).
    atomic = False

    dependencies = [
        ("casework", "0012_search_grams"),
        ("proposals", "0008_next_deadline"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
        migrations.AddIndex(
            model_name="proposal",
            index=models.Index(condition=models.Q(('state__in', ['closed', 'archived']), _negated=True), fields=["customer", "id"],
                               name="proposal_open_customer"),
        ),
    ]
