"""The search box's grams on PostgreSQL (casework.text_search): the two functions, and the index of
the customers' names. Nothing on other databases, whose search reads every row as before.

closeloop_grams: every character, every two and every three in a row (the index's side);
closeloop_search_grams: a text of up to three characters as it is, a longer one's every three in a
row (the search's side). COST: some 10 µs a call, which a plan that would compute it for every row
must count (the bitmap scans that read the index compute none)."""

from django.db import migrations

from casework.text_search import gram_index_create

GRAM_FUNCTIONS = """
CREATE OR REPLACE FUNCTION closeloop_grams(t text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  c text[] := string_to_array(t, NULL);
  n int := cardinality(c);
  grams text[] := c;
BEGIN
  FOR i IN 1..n - 1 LOOP
    grams := grams || (c[i] || c[i + 1]);
    IF i < n - 1 THEN grams := grams || (c[i] || c[i + 1] || c[i + 2]); END IF;
  END LOOP;
  RETURN grams;
END $$ COST 1000;

CREATE OR REPLACE FUNCTION closeloop_search_grams(t text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  c text[] := string_to_array(t, NULL);
  n int := cardinality(c);
  grams text[] := '{}';
BEGIN
  IF n <= 3 THEN RETURN ARRAY[t]; END IF;
  FOR i IN 1..n - 2 LOOP
    grams := grams || (c[i] || c[i + 1] || c[i + 2]);
  END LOOP;
  RETURN grams;
END $$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GRAM_FUNCTIONS)
        gram_index_create(schema_editor, name="customer_name_grams", table="casework_customer", column="name")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP INDEX IF EXISTS "customer_name_grams"')
        schema_editor.execute("DROP FUNCTION IF EXISTS closeloop_search_grams(text)")
        schema_editor.execute("DROP FUNCTION IF EXISTS closeloop_grams(text)")


class Migration(migrations.Migration):
    # The gram index is built CONCURRENTLY (casework.text_search.gram_index_create).
    atomic = False

    dependencies = [
        ("casework", "0011_import_job"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
