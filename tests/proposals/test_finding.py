"""Issue 13 for proposals: the same search, the filters that apply, the orders, the export, and the
manager's bulk routing and archiving (a proposal's equivalents of re-dispatch and forced closure)."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from casework.models import CaseEvent
from proposals.models import Proposal

from ..factories import CustomerFactory, ProposalFactory, clock_create


def subjects(response):
    return [p.subject for p in response.context["page"].object_list]


def deadline(case, due):
    return clock_create(case, kind="proposal_feedback", started_at=due - timedelta(days=5),
                        warn_at=due - timedelta(days=1), due_at=due)


@pytest.fixture
def found(unit_a):
    now = timezone.now()
    zhao = CustomerFactory(name="赵小明", phone="13800001111")
    return {
        "phone": ProposalFactory(subject="电话找到", customer=zhao, state="under_review", responsible_unit=unit_a,
                                 received_at=now - timedelta(hours=3)),
        "acknowledged": ProposalFactory(subject="周末开放", state="acknowledged", channel="wechat",
                                        received_at=now - timedelta(hours=2)),
        "submitted": ProposalFactory(subject="延长保修", state="submitted", received_at=now - timedelta(days=40)),
    }


def test_search_by_phone_name_number_and_subject(agent_client, found):
    assert subjects(agent_client.get("/proposals/", {"q": "+86 138 0000 1111"})) == ["电话找到"]
    assert subjects(agent_client.get("/proposals/", {"q": "小明"})) == ["电话找到"]
    assert subjects(agent_client.get("/proposals/", {"q": found["submitted"].number})) == ["延长保修"]
    assert subjects(agent_client.get("/proposals/", {"q": "周末"})) == ["周末开放"]


def test_filters_channel_dates_and_overdue(agent_client, found):
    assert subjects(agent_client.get("/proposals/", {"channel": "wechat"})) == ["周末开放"]
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert sorted(subjects(agent_client.get("/proposals/", {"received_from": since}))) == ["周末开放", "电话找到"]
    deadline(found["submitted"], timezone.now() - timedelta(hours=1))
    deadline(found["phone"], timezone.now() + timedelta(days=3))
    assert subjects(agent_client.get("/proposals/", {"overdue": "on"})) == ["延长保修"]


def test_the_desk_sees_the_overdue_proposal_first(agent_client, found):
    deadline(found["submitted"], timezone.now() - timedelta(hours=1))
    deadline(found["phone"], timezone.now() + timedelta(days=3))
    assert subjects(agent_client.get("/proposals/")) == ["延长保修", "电话找到", "周末开放"]
    assert subjects(agent_client.get("/proposals/", {"sort": "-received"})) == ["周末开放", "电话找到", "延长保修"]


def test_proposal_queue_query_count_with_search_and_sort(agent_client, unit_a, django_assert_max_num_queries):
    for i in range(20):
        deadline(ProposalFactory(subject=f"建议{i}", state="under_review", responsible_unit=unit_a),
                 timezone.now() + timedelta(hours=i - 3))
    agent_client.get("/proposals/")
    with django_assert_max_num_queries(10):
        response = agent_client.get("/proposals/", {"q": "建议", "sort": "deadline", "overdue": ""})
    assert len(response.context["page"].object_list) == 20


def test_export_masks_phones_for_a_handler(handler_a_client, found):
    response = handler_a_client.get("/proposals/export/", {"format": "csv", "state": ""})
    header, *rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [r[0] for r in rows] == [found["phone"].number]
    assert rows[0][header.index("Phone")] == "138****1111"


def test_bulk_route_and_archive_are_the_managers_and_report_wrong_states(manager_client, agent_client, found,
                                                                         unit_a):
    numbers = [found["acknowledged"].number, found["submitted"].number]
    assert agent_client.post("/proposals/bulk/", {"cases": numbers, "action": "archive", "reason": "x"}
                             ).status_code == 403
    response = manager_client.post("/proposals/bulk/", {"cases": numbers, "action": "route", "unit": unit_a.pk,
                                                        "reason": "按类别分派"})
    assert response.status_code == 302
    routed = Proposal.objects.get(pk=found["acknowledged"].pk)
    assert (routed.state, routed.responsible_unit) == ("under_review", unit_a)
    assert Proposal.objects.get(pk=found["submitted"].pk).state == "submitted"
    event = CaseEvent.objects.get(case_type=ContentType.objects.get_for_model(Proposal), case_id=routed.pk,
                                  action="route")
    assert "按类别分派" in event.note
    assert any(found["submitted"].number in str(m) and "not done" in str(m)
               for m in response.wsgi_request._messages)
