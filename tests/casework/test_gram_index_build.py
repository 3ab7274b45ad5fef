"""The search's gram indexes are built without blocking the desk (CONCURRENTLY) when a large
database is upgraded; a build interrupted half-way leaves an invalid index, which the next migrate
must rebuild rather than keep (IF NOT EXISTS alone would keep it, and searches would read the table)."""

import pytest
from django.db import connection

from casework.text_search import gram_index_create

NAME = "complaint_open_subject_grams"


def _index(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT i.indisvalid, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                       "JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = %s", [name])
        return cursor.fetchone()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_index_left_invalid_by_an_interrupted_build_is_built_again():
    valid, definition = _index(NAME)
    assert valid and "closeloop_grams" in definition
    with connection.cursor() as cursor:  # what a build killed half-way leaves behind
        cursor.execute("UPDATE pg_index SET indisvalid = false WHERE indexrelid = %s::regclass", [NAME])
    assert _index(NAME)[0] is False
    with connection.schema_editor(atomic=False) as editor:
        gram_index_create(editor, name=NAME, table="complaints_complaint", column="subject",
                          condition="""WHERE NOT ("state" = 'closed')""")
    assert _index(NAME) == (True, definition)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_valid_index_built_beforehand_is_kept():
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::regclass::oid", [NAME])
        before = cursor.fetchone()[0]
    with connection.schema_editor(atomic=False) as editor:
        gram_index_create(editor, name=NAME, table="complaints_complaint", column="subject",
                          condition="""WHERE NOT ("state" = 'closed')""")
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::regclass::oid", [NAME])
        assert cursor.fetchone()[0] == before
