"""Two people acting on the same proposal at once: exactly one wins, one timeline entry."""

import pytest

from casework.errors import CaseConflict
from casework.models import CaseEvent
from proposals import services
from proposals.models import Proposal

from ..complaints.test_concurrency import run_together
from ..factories import ProposalFactory, UnitFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_managers_route_the_same_proposal_at_once():
    first, second = UserFactory(role="manager"), UserFactory(role="manager")
    unit_1, unit_2 = UnitFactory(), UnitFactory()
    proposal = ProposalFactory(state="acknowledged")

    results = run_together(
        lambda: services.proposal_route(proposal=proposal, actor=first, unit=unit_1),
        lambda: services.proposal_route(proposal=proposal, actor=second, unit=unit_2),
    )

    winners = [r for r in results if isinstance(r, Proposal)]
    losers = [r for r in results if isinstance(r, CaseConflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    after = Proposal.objects.get(pk=proposal.pk)
    assert after.state == "under_review" and after.responsible_unit == winners[0].responsible_unit
    assert CaseEvent.objects.filter(case_type__model="proposal", case_id=proposal.pk, action="route").count() == 1
