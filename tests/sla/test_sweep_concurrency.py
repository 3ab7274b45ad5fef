"""Four workers sweeping at the same moment raise each escalation exactly once (PostgreSQL)."""

import pytest
from django.utils import timezone

from casework.models import CaseEvent
from sla.models import Escalation
from sla.sweep import sla_sweep

from ..complaints.test_concurrency import run_together
from ..factories import overdue_milestones

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_four_concurrent_sweeps_escalate_a_thousand_milestones_once():
    now = timezone.now()
    overdue_milestones(1000, now=now)

    results = run_together(*[lambda: sla_sweep(now=now) for _ in range(4)])

    assert not [r for r in results if isinstance(r, Exception)], results
    assert Escalation.objects.filter(level=1).count() == 1000
    assert Escalation.objects.filter(level=0).count() == 1000
    assert sum(r.raised[1] for r in results) == 1000  # each raised by exactly one of the sweeps
    assert CaseEvent.objects.filter(kind="escalation").count() == 2000
