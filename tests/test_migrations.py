"""Models and migrations agree: a change to a model without its migration fails here, not in production."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as exit_:
        pytest.fail(f"models changed without a migration (makemigrations --check exited {exit_.code})")


@pytest.mark.django_db(transaction=True)
def test_a_complaint_reopened_before_rounds_existed_is_in_its_reopen_round():
    """Callbacks used to carry the complaint's reopen count as their round; after the upgrade the
    complaint's round with the unit must be that count, or its old callbacks would mix with new ones."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("complaints", "0006_rounds_and_counted_unit")], [
        ("complaints", "0007_forum_index_and_rounds_of_reopened_cases")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    unit = old.get_model("casework", "ResponsibleUnit").objects.create(code="Q1", name="质量部")
    customer = old.get_model("casework", "Customer").objects.create(name="王", phone="13800000000")
    user = old.get_model("auth", "User").objects.create(username="a")
    Complaint = old.get_model("complaints", "Complaint")
    fields = dict(customer=customer, channel="hotline", received_at="2026-10-01T10:00:00+08:00", category="price",
                  subject="s", description="d", first_responder=user, responsible_unit=unit)
    reopened = Complaint.objects.create(number="TS1", reopen_count=2, **fields)
    never = Complaint.objects.create(number="TS2", **fields)

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps.get_model("complaints", "Complaint")
    assert new.objects.get(pk=reopened.pk).unit_round == 2
    assert new.objects.get(pk=never.pk).unit_round == 0
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
