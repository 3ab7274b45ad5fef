"""The desk's queue is in the order of each case's nearest running deadline, a column its clocks
keep (`next_due_at`). One complaint followed through the pages as its clocks start, are met and
end, and as an administrator moves them (a policy's new target); the conftest checks after every
test that the column agrees with the clocks, whatever the test did."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.models import Complaint
from sla.models import Milestone, SlaPolicy
from sla.services import milestones_meet, policy_reapply

from ..complaints.helpers import post_action, reload
from ..complaints.test_lifecycle import register
from ..factories import ComplaintFactory, clock_create


def running(complaint):
    return sorted(m.due_at for m in Milestone.objects.filter(case_type__model="complaint", case_id=complaint.pk)
                  if m.is_open)


def subjects(response):
    return [c.subject for c in response.context["page"].object_list]


def test_the_column_follows_the_clocks_through_the_lifecycle(agent_client, manager_client, unit_a):
    assert register(agent_client).status_code == 302
    complaint = Complaint.objects.get()
    # Registered: the 24-hour first contact is the nearest of the clocks that start.
    assert complaint.next_due_at == running(complaint)[0]
    first_contact = Milestone.objects.get(case_id=complaint.pk, kind="first_contact")
    assert complaint.next_due_at == first_contact.due_at

    assert post_action(agent_client, complaint, "contact", note="已致电客户").status_code == 302
    complaint = reload(complaint)
    assert complaint.next_due_at == running(complaint)[0] > first_contact.due_at  # met: the next clock leads

    assert post_action(agent_client, complaint, "dispatch", unit=unit_a.pk, note="请核实").status_code == 302
    complaint = reload(complaint)
    assert complaint.next_due_at == running(complaint)[0]

    assert post_action(manager_client, complaint, "force_close", reason="客户撤诉").status_code == 302
    complaint = reload(complaint)
    assert (complaint.state, running(complaint), complaint.next_due_at) == ("closed", [], None)


def test_a_case_whose_clocks_all_ended_goes_after_those_still_running(agent_client, unit_a):
    now = timezone.now()
    soon = ComplaintFactory(subject="明天到期", state="assigned", responsible_unit=unit_a)
    clock_create(soon, kind="resolution", started_at=now, due_at=now + timedelta(days=1))
    later = ComplaintFactory(subject="下周到期", state="assigned", responsible_unit=unit_a)
    met = clock_create(later, kind="first_contact", started_at=now, due_at=now - timedelta(hours=1))
    clock_create(later, kind="resolution", started_at=now, due_at=now + timedelta(days=7))
    assert subjects(agent_client.get("/complaints/")) == ["下周到期", "明天到期"]  # an hour overdue
    # Met (late), it is history: the case is due in a week, after the one due tomorrow.
    milestones_meet(case=later, kinds=["first_contact"], at=now)
    assert Milestone.objects.get(pk=met.pk).status == "breached"
    assert subjects(agent_client.get("/complaints/")) == ["明天到期", "下周到期"]


def test_a_policy_given_a_longer_target_moves_the_case_to_its_next_clock(agent_client, unit_a):
    for subject, priority in (("普通件", "normal"), ("紧急件", "urgent")):
        assert register(agent_client, subject=subject, priority=priority).status_code == 302
        complaint = Complaint.objects.get(subject=subject)
        assert post_action(agent_client, complaint, "contact", note="已联系").status_code == 302
    # Urgent: resolved within one working day, the nearest of its clocks; it leads the desk's queue.
    assert subjects(agent_client.get("/complaints/")) == ["紧急件", "普通件"]

    urgent = SlaPolicy.objects.get(case_kind="complaint", milestone="resolution", priority="urgent")
    urgent.target, urgent.target_unit = 20, SlaPolicy.Unit.WORKING_DAYS
    urgent.save()
    assert policy_reapply(policy=urgent) == 1
    urgent_case = Complaint.objects.get(subject="紧急件")
    progress_reply = Milestone.objects.get(case_id=urgent_case.pk, kind="progress_reply")
    assert urgent_case.next_due_at == progress_reply.due_at == running(urgent_case)[0]


def test_the_due_soon_list_follows_the_earliest_warning_of_any_running_clock(manager_client, unit_a):
    now = timezone.now()
    case = ComplaintFactory(subject="预警中", state="assigned", responsible_unit=unit_a)
    # The nearest deadline is a week away, but a longer clock started earlier already warns.
    clock_create(case, kind="resolution", started_at=now, warn_at=now + timedelta(days=5),
                 due_at=now + timedelta(days=7))
    warning = clock_create(case, kind="progress_reply", started_at=now - timedelta(days=20),
                           warn_at=now - timedelta(hours=1), due_at=now + timedelta(days=8))
    calm = ComplaintFactory(subject="未到预警", state="assigned", responsible_unit=unit_a)
    clock_create(calm, kind="resolution", started_at=now, warn_at=now + timedelta(days=1),
                 due_at=now + timedelta(days=2))

    assert subjects(manager_client.get("/complaints/overdue/")) == ["预警中"]
    assert subjects(manager_client.get("/complaints/", {"overdue": "on"})) == []  # warned, not yet late
    milestones_meet(case=case, kinds=[warning.kind], at=now)
    assert subjects(manager_client.get("/complaints/overdue/")) == []


def test_the_repair_command_finds_and_sets_right_columns_changed_behind_the_codes_back(db):
    """A restore or a hand edit can leave a case's columns wrong; `sla_repair_deadlines --check`
    names those cases and fails (for a monitoring job), and without --check sets them from the
    clocks, leaving the others as they were."""
    from django.core.management import CommandError, call_command

    from ..factories import ProposalFactory, next_deadlines_disagreeing

    now = timezone.now()
    complaints = [ComplaintFactory(state="assigned") for _ in range(5)]
    for days, complaint in enumerate(complaints, start=1):
        clock_create(complaint, kind="resolution", started_at=now, due_at=now + timedelta(days=days))
    proposal = ProposalFactory()
    clock_create(proposal, kind="proposal_feedback", started_at=now, due_at=now + timedelta(days=3))
    ended = ComplaintFactory(state="closed")  # no clock runs: both columns empty
    Complaint.objects.filter(pk=complaints[1].pk).update(next_due_at=now - timedelta(days=30))
    Complaint.objects.filter(pk=complaints[3].pk).update(due_soon_at=None)
    Complaint.objects.filter(pk=ended.pk).update(next_due_at=now, due_soon_at=now)
    type(proposal).objects.filter(pk=proposal.pk).update(next_due_at=None, due_soon_at=None)
    untouched = Complaint.objects.get(pk=complaints[0].pk)

    with pytest.raises(CommandError, match="4 cases"):
        call_command("sla_repair_deadlines", "--check", stdout=io.StringIO())
    assert len(next_deadlines_disagreeing()) == 4  # --check changed nothing

    out = io.StringIO()
    call_command("sla_repair_deadlines", stdout=out)
    assert f"Complaint: 3 repaired ({complaints[1].number}, {complaints[3].number}, {ended.number})" in out.getvalue()
    assert f"Proposal: 1 repaired ({proposal.number})" in out.getvalue()
    assert next_deadlines_disagreeing() == {}
    assert Complaint.objects.get(pk=complaints[0].pk).next_due_at == untouched.next_due_at
    call_command("sla_repair_deadlines", "--check", stdout=io.StringIO())  # all agree: no error


def test_the_repair_walks_the_table_in_chunks_and_finds_every_case(db):
    from django.contrib.contenttypes.models import ContentType

    from sla.next_deadline import cases_next_due_repair

    now = timezone.now()
    complaints = [ComplaintFactory(state="assigned") for _ in range(7)]
    for complaint in complaints:
        clock_create(complaint, kind="resolution", started_at=now, due_at=now + timedelta(days=2))
    wrong = [complaints[i].pk for i in (0, 2, 3, 6)]  # across chunk edges of 2
    Complaint.objects.filter(pk__in=wrong).update(next_due_at=None)
    case_type = ContentType.objects.get_for_model(Complaint)
    assert cases_next_due_repair(case_type=case_type, dry_run=True, chunk=2) == wrong
    assert cases_next_due_repair(case_type=case_type, chunk=2) == wrong
    assert cases_next_due_repair(case_type=case_type, chunk=2) == []


def test_the_check_does_not_report_a_case_set_right_while_it_ran(db):
    """A batch that moved clocks refreshes its cases just after committing them; a check that read
    a case in between must read it again before raising an alarm. Here the case is set right (as
    the batch's refresh would) while the check walks the next chunk."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from sla.next_deadline import cases_next_due_refresh, cases_next_due_repair

    now = timezone.now()
    behind, other = ComplaintFactory(state="assigned"), ComplaintFactory(state="assigned")
    for complaint in (behind, other):
        clock_create(complaint, kind="resolution", started_at=now, due_at=now + timedelta(days=2))
    Complaint.objects.filter(pk=behind.pk).update(next_due_at=None)
    case_type = ContentType.objects.get_for_model(Complaint)
    assert cases_next_due_repair(case_type=case_type, dry_run=True, chunk=1) == [behind.pk]

    comparisons = []

    def refresh_once_the_walk_moves_on(execute, sql, params, many, context):
        if '"expected_due"' in sql:  # a chunk's comparison of columns and clocks
            comparisons.append(sql)
            if len(comparisons) == 2:  # the walk has found `behind` and moves on to the next chunk
                cases_next_due_refresh(case_type=case_type, case_ids=[behind.pk])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refresh_once_the_walk_moves_on):
        assert cases_next_due_repair(case_type=case_type, dry_run=True, chunk=1) == []
    assert len(comparisons) == 4  # two chunks, an empty one that ends the walk, and the second read
