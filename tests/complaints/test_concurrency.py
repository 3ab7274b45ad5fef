"""Two people acting on the same complaint at the same moment: exactly one wins,
the other is told, and the timeline holds exactly one entry for the change."""

import threading
import time

import pytest
from django.db import connections

from casework import services as casework_services
from casework.errors import CaseConflict
from casework.models import CaseEvent
from complaints import services
from complaints.models import Complaint

from ..factories import ComplaintFactory, CustomerFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(*calls):
    """Start the calls in threads (one DB connection each) at the same instant; return results or errors."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as error:  # noqa: BLE001 — the test inspects what each side got
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.fixture
def slow_timeline(monkeypatch):
    """Hold the winner's transaction open a moment, so the loser really waits on the row."""
    original = services.case_event_record

    def slow(**kwargs):
        time.sleep(0.3)
        return original(**kwargs)

    monkeypatch.setattr(services, "case_event_record", slow)  # dispatch and callbacks write their own entry
    monkeypatch.setattr(casework_services, "case_event_record", slow)  # every other transition


def test_dispatch_and_forced_closure_at_once_exactly_one_applies(agent, manager, unit_a, slow_timeline):
    complaint = ComplaintFactory(state="contacted")
    seen_by_agent = Complaint.objects.get(pk=complaint.pk)
    seen_by_manager = Complaint.objects.get(pk=complaint.pk)

    results = run_together(
        lambda: services.complaint_dispatch(complaint=seen_by_agent, actor=agent, unit=unit_a),
        lambda: services.complaint_force_close(complaint=seen_by_manager, actor=manager, reason="重复登记"),
    )

    conflicts = [r for r in results if isinstance(r, CaseConflict)]
    applied = [r for r in results if isinstance(r, Complaint)]
    assert len(conflicts) == 1 and len(applied) == 1, results
    final = Complaint.objects.get(pk=complaint.pk)
    assert final.state == applied[0].state
    assert final.version == complaint.version + 1
    events = CaseEvent.objects.filter(case_id=complaint.pk, case_type__model="complaint")
    # One state change; a forced closure also tells the customer (its own timeline line), a dispatch not.
    assert events.exclude(action="customer_message").count() == 1
    assert events.exclude(action="customer_message").get().to_state == final.state
    assert events.filter(action="customer_message").count() == (1 if final.state == "closed" else 0)


def test_same_action_twice_at_once_is_applied_once(agent, slow_timeline):
    complaint = ComplaintFactory(state="registered")
    copies = [Complaint.objects.get(pk=complaint.pk) for _ in range(2)]

    results = run_together(
        *[lambda c=c: services.complaint_contact(complaint=c, actor=agent, note="已联系") for c in copies]
    )

    assert sum(isinstance(r, CaseConflict) for r in results) == 1, results
    assert Complaint.objects.get(pk=complaint.pk).state == "contacted"
    assert CaseEvent.objects.filter(case_id=complaint.pk, action="contact").count() == 1


def test_concurrent_intake_numbers_have_no_gaps_or_duplicates(agent):
    from django.utils import timezone

    customer = CustomerFactory()

    def register():
        return services.complaint_register(
            actor=agent, customer=customer, channel="hotline", received_at=timezone.now(),
            category="price", subject="价格不透明", description="收费项目未提前告知",
        ).number

    numbers = run_together(*[register for _ in range(8)])
    assert all(isinstance(n, str) for n in numbers), numbers
    period = timezone.localtime().strftime("%Y%m")
    assert sorted(numbers) == [f"TS{period}-{i:06d}" for i in range(1, 9)]
