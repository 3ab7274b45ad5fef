"""The work queue and the manager's approval queue: who sees what, filters, pages."""

import pytest

from ..factories import ComplaintFactory


@pytest.fixture
def cases(unit_a, unit_b, agent):
    return {
        "a_open": ComplaintFactory(subject="甲单位未结", responsible_unit=unit_a, state="assigned", priority="urgent"),
        "a_closed": ComplaintFactory(subject="甲单位已结", responsible_unit=unit_a, state="closed"),
        "b_open": ComplaintFactory(subject="乙单位未结", responsible_unit=unit_b, state="pending_approval"),
        "new": ComplaintFactory(subject="新登记", state="registered", first_responder=agent, category="price"),
    }


def numbers(response):
    return {c.subject for c in response.context["page"].object_list}


def test_queue_defaults_to_open_cases_for_the_desk(agent_client, cases):
    assert numbers(agent_client.get("/complaints/")) == {"甲单位未结", "乙单位未结", "新登记"}


def test_handler_queue_holds_only_its_units_cases(handler_a_client, cases):
    assert numbers(handler_a_client.get("/complaints/")) == {"甲单位未结"}
    assert numbers(handler_a_client.get("/complaints/?state=")) == {"甲单位未结", "甲单位已结"}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("state=closed", {"甲单位已结"}),
        ("priority=urgent", {"甲单位未结"}),
        ("category=price", {"新登记"}),
        ("q=乙单位", {"乙单位未结"}),
        ("mine=on&state=", {"新登记"}),
    ],
)
def test_queue_filters(agent_client, cases, query, expected):
    assert numbers(agent_client.get(f"/complaints/?{query}")) == expected


def test_queue_filter_by_unit(agent_client, cases, unit_b):
    assert numbers(agent_client.get(f"/complaints/?state=&unit={unit_b.pk}")) == {"乙单位未结"}


def test_queue_pages(agent_client, settings, unit_a):
    settings.PAGE_SIZE = 2
    ComplaintFactory.create_batch(5, responsible_unit=unit_a, state="assigned")
    first = agent_client.get("/complaints/")
    assert len(first.context["page"].object_list) == 2
    assert first.context["page"].paginator.num_pages == 3
    assert len(agent_client.get("/complaints/?page=3").context["page"].object_list) == 1
    # Later pages keep the open-only default: a closed complaint does not slip in.
    ComplaintFactory(state="closed", closure_type="satisfied")
    assert agent_client.get("/complaints/?page=3").context["page"].paginator.count == 5


def test_queue_query_count_does_not_grow_with_the_page(agent_client, unit_a, django_assert_max_num_queries):
    ComplaintFactory.create_batch(20, responsible_unit=unit_a, state="assigned")
    # session, user, roles, unread notifications, count, the page's rows with customer/unit/responder,
    # their nearest deadlines, the unit filter's choices: issue 5 allows at most 10 at any data size.
    agent_client.get("/complaints/")  # the session's idle clock is renewed once a minute, not on every page
    with django_assert_max_num_queries(10):
        assert agent_client.get("/complaints/").status_code == 200


def test_approval_queue_is_the_managers(manager_client, agent_client, handler_a_client, cases):
    assert numbers(manager_client.get("/complaints/approvals/")) == {"乙单位未结"}
    assert agent_client.get("/complaints/approvals/").status_code == 403
    assert handler_a_client.get("/complaints/approvals/").status_code == 403


def test_the_managers_queue_lists_the_units_twice_from_one_query(manager_client, unit_a, unit_b,
                                                                django_assert_num_queries):
    """The filter offers every unit (a suspended one's old cases too); re-dispatching in bulk only
    the units taking cases. Both lists come from one read of the units."""
    from casework.models import ResponsibleUnit

    ResponsibleUnit.objects.filter(pk=unit_b.pk).update(status=ResponsibleUnit.Status.SUSPENDED)
    ComplaintFactory.create_batch(3, responsible_unit=unit_a, state="assigned")
    manager_client.get("/complaints/")
    response = manager_client.get("/complaints/")
    filter_units = [label for value, label in response.context["form"].fields["unit"].choices if value]
    bulk_units = [label for value, label in response.context["bulk_form"].fields["unit"].choices if value]
    assert {str(unit_a), str(unit_b)} <= set(filter_units) and filter_units == sorted(filter_units)
    assert str(unit_a) in bulk_units and str(unit_b) not in bulk_units
    html = response.content.decode()
    assert html.count(f'<option value="{unit_b.pk}">{unit_b}</option>') == 1  # in the filter only
    with django_assert_num_queries(8) as captured:
        manager_client.get("/complaints/")
    unit_reads = [q["sql"] for q in captured.captured_queries
                  if q["sql"].split(" FROM ")[1].startswith('"casework_responsibleunit"')]
    assert len(unit_reads) == 1, unit_reads
