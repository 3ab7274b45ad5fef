"""Two people planning the same audience's campaign at the same moment never propose a customer twice
(PostgreSQL)."""

from datetime import date

import pytest

from casework.models import Customer
from satisfaction.models import Survey
from satisfaction.planning import campaign_plan

from ..complaints.test_concurrency import run_together
from ..factories import CustomerFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_simultaneous_plans_propose_each_customer_once(questionnaire):
    """Seed 002 第十二条: ordinary customers at least once a year — and not twice by accident."""
    for _ in range(30):
        CustomerFactory(tier=Customer.Tier.ORDINARY)
    planner = UserFactory(username="planner", role="agent")

    def plan():
        return campaign_plan(audience="ordinary", period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
                             template_version=questionnaire, contact_method="email", actor=planner)

    results = run_together(plan, plan)
    proposed = list(Survey.objects.values_list("customer_id", flat=True))
    assert len(proposed) == len(set(proposed)) == 30
    assert sum(1 for r in results if not isinstance(r, Exception)) >= 1
