"""Rules written once: what "open" means for a case and a milestone (the queryset's .open(),
is_open, the partial indexes and the sweep's raw SQL read the same definition), and the column
lists the bulk writers use."""

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from complaints.models import Complaint
from proposals.models import Proposal
from sla.models import Milestone
from sla.next_deadline import cases_next_due_refresh_of
from sla.sweep import open_milestone_sql

from .factories import ComplaintFactory, ProposalFactory, overdue_milestones


def _index(model, name):
    return next(index for index in model._meta.indexes if index.name == name)


def test_open_cases_are_the_ones_not_in_a_final_state(db):
    open_complaint, closed = ComplaintFactory(), ComplaintFactory(state="closed")
    assert list(Complaint.objects.open()) == [open_complaint]
    assert open_complaint.is_open and not closed.is_open
    proposals = {state: ProposalFactory(state=state) for state in ("submitted", "adopted", "closed", "archived")}
    assert set(Proposal.objects.open()) == {proposals["submitted"], proposals["adopted"]}
    assert [p.is_open for p in proposals.values()] == [True, True, False, False]
    # Related managers have it too (the unit and customer pages count open cases through them).
    assert list(open_complaint.customer.complaints.open()) == [open_complaint]


def test_the_partial_indexes_are_built_from_the_open_condition():
    # The queue filters with exclude(state=closed): the index condition must stay `NOT (state = 'closed')`.
    assert _index(Complaint, "complaint_open_received").condition == ~Q(state="closed")
    assert _index(Complaint, "complaint_open_category").condition == ~Q(state="closed")
    assert _index(Proposal, "proposal_open_received").condition == ~Q(state__in=["closed", "archived"])


def test_the_sweep_reads_the_same_open_milestones_as_the_orm(db):
    now = timezone.now()
    rows = overdue_milestones(4, now=now)
    Milestone.objects.filter(pk=rows[0].pk).update(status="met", met_at=now)
    Milestone.objects.filter(pk=rows[1].pk).update(status="breached")
    Milestone.objects.filter(pk=rows[2].pk).update(status="breached", met_at=now)
    cases_next_due_refresh_of(rows)
    table = connection.ops.quote_name(Milestone._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE {open_milestone_sql()} ORDER BY id")
        by_sql = [pk for (pk,) in cursor.fetchall()]
    assert by_sql == list(Milestone.objects.open().order_by("id").values_list("pk", flat=True))
    assert by_sql == [rows[1].pk, rows[3].pk]
    assert [m.is_open for m in Milestone.objects.order_by("id")] == [False, True, False, True]


def test_bulk_column_lists_are_the_models_columns():
    from casework.models import CASE_EVENT_COLUMNS, CASE_EVENT_COLUMNS_WITH_LINES, CaseEvent
    from sla.models import MILESTONE_COLUMNS

    def columns(model):
        return [f.attname for f in model._meta.concrete_fields if not f.primary_key]

    assert CASE_EVENT_COLUMNS_WITH_LINES == columns(CaseEvent)
    assert CASE_EVENT_COLUMNS == CASE_EVENT_COLUMNS_WITH_LINES[:-1]  # the system's lines, nullable, left NULL
    assert MILESTONE_COLUMNS == columns(Milestone)
