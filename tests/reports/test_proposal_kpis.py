"""Proposal KPIs of a half-year (SPEC §4, §7), to the exact fraction, in fixed queries."""

from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction as F

import pytest
from django.utils import timezone

from proposals.models import ProposalTarget
from reports.periods import HalfYear
from reports.proposal_kpis import proposal_kpis

from ..factories import CustomerFactory, ProposalFactory, clock_create

TZ = timezone.get_fixed_timezone(8 * 60)
H2 = HalfYear(2026, 2)


def proposal(customer, *, received=datetime(2026, 9, 1, 10, tzinfo=TZ), feedback="pending", due=None, **fields):
    told = fields.get("decision") and feedback in ("met", "breached")
    p = ProposalFactory(customer=customer, received_at=received,
                        feedback_at=received + timedelta(days=7) if told else None, **fields)
    clock_create(p, kind="proposal_feedback", started_at=received, due_at=due or received + timedelta(days=14),
                 status=feedback, met_at=received + timedelta(days=7) if feedback in ("met", "breached") else None)
    return p


@pytest.fixture
def half_year(db):
    c1 = CustomerFactory(name="甲公司采购", organisation="甲公司")
    c2 = CustomerFactory(name="乙")
    c3 = CustomerFactory(name="丙")
    done = {"implemented_at": datetime(2026, 10, 1, tzinfo=TZ)}
    proposal(c1, state="closed", decision="adopted", handling_satisfaction="very_satisfied", feedback="met",
             cost_reduction=Decimal("100000"), **done)
    proposal(c1, state="adopted", decision="adopted", handling_satisfaction="satisfied", feedback="breached")
    proposal(c2, state="closed", decision="not_adopted", handling_satisfaction="dissatisfied", feedback="met")
    proposal(c2, state="archived", feedback="cancelled")
    proposal(c3, state="under_review")  # its clock ran out untold: a miss
    # Still inside its time, and an evaluation not yet fed back: neither counts yet.
    proposal(c3, state="evaluated", decision="adopted", due=datetime(2099, 1, 5, 16, 30, tzinfo=TZ))
    proposal(c3, state="implemented", decision="adopted", handling_satisfaction="neutral", feedback="met",
             cost_reduction=Decimal("50000.50"), **done)
    # The first half-year's proposal is not this period's.
    proposal(c2, received=datetime(2026, 6, 30, 23, 59, tzinfo=TZ), state="closed", decision="adopted",
             handling_satisfaction="satisfied", feedback="met", cost_reduction=Decimal("999"), **done)
    ProposalTarget.objects.create(year=2026, half=2, target_count=10, target_adopted=5, plan="走访重点客户")
    return c1, c2, c3


def test_every_proposal_kpi(half_year, django_assert_max_num_queries):
    c1, c2, c3 = half_year
    with django_assert_max_num_queries(5):
        kpis = proposal_kpis(period=H2)
    assert (kpis.total, kpis.archived, kpis.decided, kpis.adopted, kpis.implemented) == (7, 1, 4, 3, 2)
    assert kpis.adoption_rate == F(3, 4)  # decisions the customer has been told
    assert kpis.feedback_due == 5  # met ×3, breached, overdue untold; not the running one nor the archived one
    assert kpis.feedback_timeliness == F(3, 5)
    assert kpis.cost_reduction == Decimal("150000.50")
    assert kpis.customers == 3
    assert kpis.contribution_per_customer == Decimal("50000.17")  # 150,000.50 ÷ 3 customers
    assert kpis.satisfaction_rate == F(2, 4)  # very satisfied + satisfied; neutral is not satisfied
    assert (kpis.collected_vs_target, kpis.adopted_vs_target) == (F(7, 10), F(3, 5))
    assert [(r.customer_id, r.proposals, r.adopted, r.cost_reduction) for r in kpis.ranking] == [
        (c1.pk, 2, 2, Decimal("100000.00")), (c3.pk, 3, 1, Decimal("50000.50")), (c2.pk, 2, 0, Decimal("0"))]


def test_an_empty_half_year_shows_dashes_not_errors(db, manager_client):
    kpis = proposal_kpis(period=HalfYear(2030, 1))
    assert kpis.total == 0 and kpis.adoption_rate is None and kpis.contribution_per_customer is None
    response = manager_client.get("/reports/proposals/?half=2030-H1")
    assert response.status_code == 200
    assert "—" in response.content.decode()


def test_the_page_shows_the_figures_to_managers_only(half_year, manager_client, agent_client, admin_client_role):
    page = manager_client.get("/reports/proposals/?half=2026-H2").content.decode()
    assert "75.0%" in page and "50000.17" in page and "甲公司采购" in page and "走访重点客户" in page
    assert admin_client_role.get("/reports/proposals/?half=2026-H2").status_code == 200
    assert agent_client.get("/reports/proposals/").status_code == 403


@pytest.mark.parametrize("value", ["2026", "2026-H3", "H2", "<script>", "9999-H1"])
def test_a_bad_period_is_a_field_error(manager_client, value):
    response = manager_client.get("/reports/proposals/", {"half": value})
    assert response.status_code == 400
    assert "half" in response.context["form"].errors
