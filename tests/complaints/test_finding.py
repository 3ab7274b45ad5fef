"""Issue 13, finding complaints: one search box (phone, name, number, subject), the filters, the
orders (nearest deadline first by default for the desk), the header's search across complaints and
proposals, the queue as a file, and the manager's bulk re-dispatch and forced closure."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from openpyxl import load_workbook

from casework.models import CaseEvent
from complaints.models import Complaint
from sla.models import Milestone

from ..factories import ComplaintFactory, CustomerFactory, ProposalFactory, UnitFactory, clock_create


def subjects(response):
    return [c.subject for c in response.context["page"].object_list]


def deadline(case, due, *, kind="resolution", status="pending"):
    """An open clock of `case` due at `due`."""
    return clock_create(case, kind=kind, started_at=due - timedelta(days=5), warn_at=due - timedelta(days=1),
                        due_at=due, status=status)


@pytest.fixture
def found(unit_a, unit_b):
    now = timezone.now()
    wang = CustomerFactory(name="王建国", phone="13800001111")
    return {
        "phone": ComplaintFactory(subject="电话找到", customer=wang, responsible_unit=unit_a, state="assigned"),
        "name": ComplaintFactory(subject="另一件", customer=CustomerFactory(name="李四海"), state="contacted",
                                 channel="wechat", received_at=now - timedelta(days=20)),
        "subject": ComplaintFactory(subject="保养价格不透明", state="registered", complainant_class="A",
                                    is_major=True, received_at=now - timedelta(days=40)),
        "closed": ComplaintFactory(subject="已结案", customer=wang, state="closed", responsible_unit=unit_b),
    }


@pytest.mark.parametrize("typed", ["+86 138 0000 1111", "138-0000-1111", "13800001111", "１３８００００１１１１"])
def test_search_by_phone_in_any_written_form(agent_client, found, typed):
    response = agent_client.get("/complaints/", {"q": typed, "state": ""})
    assert sorted(subjects(response)) == ["已结案", "电话找到"]


def test_search_by_customer_name_case_number_and_subject(agent_client, found):
    assert subjects(agent_client.get("/complaints/", {"q": "李四"})) == ["另一件"]
    number = found["subject"].number
    assert subjects(agent_client.get("/complaints/", {"q": number.lower()})) == ["保养价格不透明"]
    assert subjects(agent_client.get("/complaints/", {"q": "价格"})) == ["保养价格不透明"]


def test_a_handler_searching_finds_only_its_units_cases(handler_a_client, found):
    response = handler_a_client.get("/complaints/", {"q": "+86 138 0000 1111", "state": ""})
    assert subjects(response) == ["电话找到"]


@pytest.mark.parametrize("query, expected", [
    ({"channel": "wechat"}, ["另一件"]),
    ({"complainant_class": "A"}, ["保养价格不透明"]),
    ({"is_major": "on"}, ["保养价格不透明"]),
])
def test_filters_by_channel_class_and_major(agent_client, found, query, expected):
    assert subjects(agent_client.get("/complaints/", query)) == expected


def test_filter_by_date_range_counts_whole_days_in_shanghai(agent_client, found):
    today = timezone.localdate()
    since = (today - timedelta(days=30)).isoformat()
    assert sorted(subjects(agent_client.get("/complaints/", {"received_from": since}))) == ["另一件", "电话找到"]
    until = (today - timedelta(days=20)).isoformat()
    assert subjects(agent_client.get("/complaints/", {"received_from": since, "received_to": until})) == ["另一件"]


@pytest.mark.parametrize("query", [{"received_from": "0001-01-01"}, {"received_to": "9999-12-31"},
                                   {"received_from": "2026-05-02", "received_to": "2026-05-01"},
                                   {"sort": "customer__phone"}, {"received_from": "yesterday"}])
def test_bad_filter_values_are_messages_not_errors(agent_client, found, query):
    response = agent_client.get("/complaints/", query)
    assert response.status_code == 200
    assert response.context["form"].errors


def test_filter_repeat_complaints(agent_client, found):
    repeat = ComplaintFactory(subject="重复投诉", state="assigned", repeat_of=found["closed"])
    assert subjects(agent_client.get("/complaints/", {"repeat": "on"})) == [repeat.subject]


def test_filter_overdue_keeps_cases_past_an_open_deadline(agent_client, found):
    now = timezone.now()
    deadline(found["phone"], now - timedelta(hours=2))
    deadline(found["name"], now + timedelta(days=2))
    deadline(found["subject"], now - timedelta(hours=1), status="met")  # met: not overdue
    assert subjects(agent_client.get("/complaints/", {"overdue": "on"})) == ["电话找到"]


@pytest.fixture
def seven(unit_a):
    """Seven open complaints, newest first by time received; the sixth is the one overdue."""
    now = timezone.now()
    cases = [ComplaintFactory(subject=f"第{i}件", responsible_unit=unit_a, state="assigned",
                              received_at=now - timedelta(hours=i)) for i in range(1, 8)]
    for i, case in enumerate(cases):
        if i == 5:
            deadline(case, now - timedelta(hours=3))  # overdue
        elif i != 6:  # the last has no open deadline at all
            deadline(case, now + timedelta(days=7 - i))
            deadline(case, now + timedelta(days=30), kind="callback")
    return cases


def test_the_desk_sees_the_overdue_case_first_by_default(agent_client, seven):
    assert subjects(agent_client.get("/complaints/")) == ["第6件", "第5件", "第4件", "第3件", "第2件", "第1件", "第7件"]


def test_a_handler_keeps_newest_first_and_may_sort_by_deadline(handler_a_client, seven):
    assert subjects(handler_a_client.get("/complaints/"))[0] == "第1件"
    assert subjects(handler_a_client.get("/complaints/", {"sort": "deadline"}))[0] == "第6件"


@pytest.mark.parametrize("sort, first, last", [
    ("received", "第7件", "第1件"), ("-received", "第1件", "第7件"),
    ("subject", "第1件", "第7件"), ("-subject", "第7件", "第1件"),
])
def test_sort_by_columns(agent_client, seven, sort, first, last):
    listed = subjects(agent_client.get("/complaints/", {"sort": sort}))
    assert (listed[0], listed[-1]) == (first, last)


def test_column_headers_link_to_their_order_keeping_the_filters(agent_client, seven):
    body = agent_client.get("/complaints/", {"q": "第", "sort": "number"}).content.decode()
    assert 'aria-sort="ascending"><a href="?q=%E7%AC%AC&amp;sort=-number">' in body
    assert 'href="?q=%E7%AC%AC&amp;sort=deadline"' in body


def test_searched_and_sorted_queue_query_count_does_not_grow(agent_client, unit_a, django_assert_max_num_queries):
    now = timezone.now()
    for i in range(20):
        case = ComplaintFactory(subject=f"价格问题{i}", responsible_unit=unit_a, state="assigned", is_major=True)
        deadline(case, now + timedelta(hours=i - 5))
    agent_client.get("/complaints/")
    query = {"q": "价格", "sort": "deadline", "overdue": "", "is_major": "on", "channel": "hotline",
             "received_from": (timezone.localdate() - timedelta(days=3)).isoformat()}
    with django_assert_max_num_queries(10):
        response = agent_client.get("/complaints/", query)
    assert len(response.context["page"].object_list) == 20
    with django_assert_max_num_queries(10):
        agent_client.get("/complaints/", {"q": "+86 138 0000 1111", "sort": "-customer"})


# --- the header's search ---------------------------------------------------------------------------


def test_header_search_lists_complaints_and_proposals_the_person_may_see(agent_client, handler_a_client, found,
                                                                         unit_b):
    ProposalFactory(subject="建议公开保养价格", customer=found["phone"].customer, state="acknowledged")
    response = agent_client.get("/complaints/search/", {"q": "+86 138 0000 1111"})
    assert response.status_code == 200
    complaints, proposals = response.context["results"]
    assert sorted(c.subject for c in complaints["cases"]) == ["已结案", "电话找到"]
    assert [p.subject for p in proposals["cases"]] == ["建议公开保养价格"]
    # A handler: only its unit's complaint; the proposal (no unit yet) and unit B's case are not its.
    complaints, proposals = handler_a_client.get("/complaints/search/", {"q": "13800001111"}).context["results"]
    assert [c.subject for c in complaints["cases"]] == ["电话找到"] and proposals["cases"] == []


def test_header_search_by_a_whole_number_opens_the_case(agent_client, found):
    response = agent_client.get("/complaints/search/", {"q": found["name"].number.lower()})
    assert response.status_code == 302 and response["Location"] == f"/complaints/{found['name'].number}/"


def test_header_search_is_on_every_staff_page_and_bounded(agent_client, found):
    assert 'action="/complaints/search/"' in agent_client.get("/complaints/").content.decode()
    assert agent_client.get("/complaints/search/", {"q": "x" * 101}).status_code == 400


# --- export ----------------------------------------------------------------------------------------


def csv_rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_export_equals_the_filtered_sorted_queue_and_masks_phones_for_a_handler(handler_a_client, unit_a, seven):
    query = {"q": "第", "sort": "deadline", "state": ""}
    listed = [c.number for c in handler_a_client.get("/complaints/", query).context["page"].object_list]
    response = handler_a_client.get("/complaints/export/", {**query, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    header, *rows = csv_rows(response)
    assert header[:2] == ["Number", "Received at"]
    assert [r[0] for r in rows] == listed
    phone = header.index("Phone")
    assert all("****" in r[phone] for r in rows)


def test_xlsx_export_escapes_formulas_and_unmasks_only_with_the_permission(agent_client, agent, unit_a):
    ComplaintFactory(subject="=HYPERLINK(\"http://evil\")", customer=CustomerFactory(name="@SUM(A1)",
                                                                                    phone="13912345678"),
                     state="assigned", responsible_unit=unit_a)
    response = agent_client.get("/complaints/export/", {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, row = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    assert row[header.index("Subject")] == "'=HYPERLINK(\"http://evil\")"
    assert row[header.index("Customer")] == "'@SUM(A1)"
    assert row[header.index("Phone")] == "139****5678"
    agent.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    sheet = load_workbook(io.BytesIO(agent_client.get("/complaints/export/", {"format": "xlsx"}).content)).active
    assert sheet[2][header.index("Phone")].value == "13912345678"


def test_export_refuses_more_rows_than_the_bound_and_unknown_formats(agent_client, unit_a, monkeypatch):
    from workflow import exports

    monkeypatch.setattr(exports, "MAX_ROWS", 2)
    ComplaintFactory.create_batch(3, state="assigned", responsible_unit=unit_a)
    response = agent_client.get("/complaints/export/", {"format": "csv", "priority": "normal"})
    assert response.status_code == 302 and "priority=normal" in response["Location"]
    assert agent_client.get("/complaints/export/", {"format": "pdf"}).status_code == 400


# --- bulk actions ------------------------------------------------------------------------------------


def events(case, action):
    return CaseEvent.objects.filter(case_type=ContentType.objects.get_for_model(Complaint), case_id=case.pk,
                                    action=action)


def test_only_a_manager_gets_checkboxes_and_may_post(agent_client, manager_client, handler_a_client, found, unit_b):
    assert b'name="cases"' in manager_client.get("/complaints/").content
    assert b'name="cases"' not in agent_client.get("/complaints/").content
    for client in (agent_client, handler_a_client):
        response = client.post("/complaints/bulk/", {"cases": [found["name"].number], "action": "force_close",
                                                     "reason": "重复"})
        assert response.status_code == 403
    assert Complaint.objects.get(pk=found["name"].pk).state == "contacted"


def test_bulk_force_close_with_one_reason_reports_a_case_in_a_wrong_state(manager_client, found):
    numbers = [found["phone"].number, found["closed"].number, found["name"].number, "TS209901-999999"]
    response = manager_client.post("/complaints/bulk/", {"cases": numbers, "action": "force_close",
                                                         "reason": "客户书面撤诉", "query": "state=&q=x"})
    assert response.status_code == 302 and response["Location"] == "/complaints/?state=&q=x"
    for key in ("phone", "name"):
        case = Complaint.objects.get(pk=found[key].pk)
        assert (case.state, case.closure_type, case.closure_reason) == ("closed", "forced", "客户书面撤诉")
        assert events(case, "force_close").get().note == "客户书面撤诉"
    texts = [str(m) for m in response.wsgi_request._messages]
    assert any(found["phone"].number in t and found["name"].number in t for t in texts if "done for" in t)
    assert any(found["closed"].number in t and "not possible" in t for t in texts)
    assert any("TS209901-999999" in t and "No such case" in t for t in texts)
    assert not events(found["closed"], "force_close").exists()


def test_bulk_redispatch_dispatches_or_transfers_each_case(manager_client, found, unit_a, unit_b):
    numbers = [found["name"].number, found["phone"].number, found["subject"].number]  # contacted, assigned, registered
    response = manager_client.post("/complaints/bulk/", {"cases": numbers, "action": "redispatch",
                                                         "unit": unit_b.pk, "reason": "按区域重新派工"})
    assert response.status_code == 302
    dispatched, transferred = Complaint.objects.get(pk=found["name"].pk), Complaint.objects.get(pk=found["phone"].pk)
    assert (dispatched.state, dispatched.responsible_unit) == ("assigned", unit_b)
    assert (transferred.state, transferred.responsible_unit, transferred.unit_round) == ("assigned", unit_b, 1)
    assert "按区域重新派工" in events(dispatched, "dispatch").get().note
    assert "按区域重新派工" in events(transferred, "transfer").get().note
    assert Complaint.objects.get(pk=found["subject"].pk).state == "registered"  # not contacted yet: refused
    texts = [str(m) for m in response.wsgi_request._messages]
    assert any(found["subject"].number in t and "not done" in t for t in texts)


def test_bulk_redispatch_needs_a_unit_that_takes_cases_and_a_reason(manager_client, found):
    suspended = UnitFactory(status="suspended")
    for data in ({"action": "redispatch", "reason": "x"}, {"action": "redispatch", "unit": suspended.pk, "reason": "x"},
                 {"action": "force_close", "reason": ""}, {"action": "force_close", "reason": "x" * 2001},
                 {"action": "delete", "reason": "x"}, {"action": "force_close", "reason": "x", "cases": []}):
        data = {"cases": [found["name"].number], **data}
        assert manager_client.post("/complaints/bulk/", data).status_code == 302
    assert Complaint.objects.get(pk=found["name"].pk).state == "contacted"
    assert not CaseEvent.objects.filter(action__in=["dispatch", "force_close"]).exists()


def test_bulk_selection_is_bounded(manager_client, found):
    response = manager_client.post("/complaints/bulk/", {"cases": [f"TS209901-{i:06d}" for i in range(101)],
                                                         "action": "force_close", "reason": "x"})
    assert response.status_code == 302
    assert any("at most 100" in str(m) for m in response.wsgi_request._messages)


def test_the_export_reads_repeat_links_with_the_rows_not_a_query_each(agent_client, unit_a,
                                                                     django_assert_max_num_queries):
    first = ComplaintFactory(subject="原投诉", responsible_unit=unit_a, state="assigned")
    for i in range(15):
        ComplaintFactory(subject=f"重复{i}", responsible_unit=unit_a, state="assigned", repeat_of=first)
    agent_client.get("/complaints/")
    with django_assert_max_num_queries(10):
        response = agent_client.get("/complaints/export/", {"format": "xlsx", "state": ""})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    repeat_of = [row[header.index("Repeat of")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert repeat_of.count(first.number) == 15


def test_the_deadline_order_pages_through_cases_with_and_without_a_deadline_once_each(agent_client, unit_a,
                                                                                      settings):
    """The nearest-deadline order (the cases' `next_due_at`, which their clocks keep): page after
    page it gives every case once — those with an open deadline by it, then the others newest first."""
    settings.PAGE_SIZE = 4
    now = timezone.now()
    with_deadline = []
    for i in range(6):
        case = ComplaintFactory(subject=f"有时限{i}", responsible_unit=unit_a, state="assigned")
        deadline(case, now + timedelta(hours=(i * 7) % 6 - 2))  # some overdue, in a shuffled order
        deadline(case, now + timedelta(days=30), kind="long_open")  # a later clock: the case is listed once
        with_deadline.append(case)
    without = [ComplaintFactory(subject=f"已闭环{i}", state="closed", received_at=now - timedelta(days=i + 1))
               for i in range(5)]
    listed = []
    for number in (1, 2, 3):
        page = agent_client.get("/complaints/", {"state": "", "sort": "deadline", "page": number})
        listed += [c.number for c in page.context["page"].object_list]
    by_deadline = sorted(with_deadline, key=lambda c: Milestone.objects.filter(case_id=c.pk)
                         .order_by("due_at").first().due_at)
    assert listed == [c.number for c in by_deadline] + [c.number for c in without]  # newest first among those
