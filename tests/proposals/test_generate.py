"""generate_cases --proposals makes plausible proposals the rest of the system can read."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from casework.models import CaseEvent
from proposals.models import Proposal
from reports.periods import HalfYear
from reports.proposal_kpis import proposal_kpis
from sla.models import Milestone


def test_generate_cases_makes_proposals_in_every_state(db, capsys):
    call_command("generate_cases", "--proposals", "800", "--months", "12", "--seed", "3")
    assert Proposal.objects.count() == 800
    states = dict(Proposal.objects.values_list("state").annotate(n=Count("pk")))
    assert set(states) == {"submitted", "acknowledged", "under_review", "evaluated", "adopted", "implemented",
                           "closed", "archived"}, states
    assert Proposal.objects.values("number").distinct().count() == 800
    assert all(n.startswith("TA") for n in Proposal.objects.values_list("number", flat=True)[:50])
    clocks = Milestone.objects.filter(case_type__model="proposal")
    assert clocks.count() == 800
    assert {"met", "breached", "cancelled"} <= set(clocks.values_list("status", flat=True))
    assert CaseEvent.objects.filter(case_type__model="proposal", action="feedback").exists()
    assert Proposal.objects.filter(state="implemented", cost_reduction__gt=0).exists()
    # Closed and implemented proposals were told their outcome; open ones were not.
    assert not Proposal.objects.filter(state__in=["submitted", "acknowledged"], feedback_at__isnull=False).exists()
    kpis = proposal_kpis(period=HalfYear.of(timezone.localdate() - timedelta(days=200)))
    assert kpis.total > 0 and kpis.adoption_rate is not None
    assert "800 proposals" in capsys.readouterr().out


def test_nothing_to_generate_is_an_error(db):
    with pytest.raises(CommandError):
        call_command("generate_cases")
