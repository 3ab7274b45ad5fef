"""The search box finds a case by a part of its customer's name, of its subject or of its number,
one character or more, in complaints and proposals alike: on PostgreSQL through the gram indexes
(casework.text_search), elsewhere by reading the rows; the same cases either way."""

import pytest
from django.db import connection, transaction

from casework.models import Customer
from casework.text_search import may_be_in_a_case_number, text_contains
from complaints.models import Complaint
from proposals.models import Proposal
from workflow.selectors import case_search

from ..factories import ComplaintFactory, CustomerFactory, ProposalFactory

KINDS = {"complaints": (ComplaintFactory, "assigned", "closed"),
         "proposals": (ProposalFactory, "under_review", "closed")}


@pytest.fixture(params=list(KINDS))
def kind(request, db):
    """One case kind's queue and three of its cases: two open, one closed."""
    factory, open_state, closed_state = KINDS[request.param]
    wang, li = CustomerFactory(name="王小明"), CustomerFactory(name="李晓红", organisation="ACME")
    return {
        "url": f"/{request.param}/",
        "wang": factory(subject="发动机异响，异响多次维修", customer=wang, state=open_state),
        "li": factory(subject="收费不透明 App闪退", customer=li, state=open_state),
        "closed": factory(subject="保养价格过高", customer=li, state=closed_state),
    }


def found(client, url, text, **filters):
    response = client.get(url, {"q": text, **filters})
    assert response.status_code == 200
    return sorted(case.subject for case in response.context["page"].object_list)


@pytest.mark.parametrize("text, expected", [
    ("王", ["发动机异响，异响多次维修"]),  # one character of a name
    ("小明", ["发动机异响，异响多次维修"]),  # two
    ("王小明", ["发动机异响，异响多次维修"]),  # three: the whole name
    ("晓", ["收费不透明 App闪退"]),
    ("李晓红", ["收费不透明 App闪退"]),
])
def test_part_of_the_customers_name(agent_client, kind, text, expected):
    assert found(agent_client, kind["url"], text) == expected


@pytest.mark.parametrize("text, expected", [
    ("费", ["收费不透明 App闪退"]),  # one character of a subject
    ("收费", ["收费不透明 App闪退"]),  # two
    ("不透明", ["收费不透明 App闪退"]),  # three
    ("异响多次维修", ["发动机异响，异响多次维修"]),  # more than three: every three of them, then the LIKE
    ("机异响多", []),  # both threes are in the subject, not one after the other: not found
    ("app闪", ["收费不透明 App闪退"]),  # Latin letters in any case
    ("明 a", ["收费不透明 App闪退"]),  # a space is a character like any other
    ("明", ["发动机异响，异响多次维修", "收费不透明 App闪退"]),  # a name of one, the subject of the other
    ("维修等待", []),
])
def test_part_of_the_subject(agent_client, kind, text, expected):
    assert found(agent_client, kind["url"], text) == expected


def test_closed_cases_are_found_across_states_only(agent_client, kind):
    assert found(agent_client, kind["url"], "价格") == []
    assert found(agent_client, kind["url"], "价格", state="") == ["保养价格过高"]
    assert found(agent_client, kind["url"], "晓", state="") == ["保养价格过高", "收费不透明 App闪退"]


def test_part_of_the_number_in_any_case(agent_client, kind):
    number = kind["li"].number
    assert found(agent_client, kind["url"], number[:4].lower(), state="") == sorted(
        case.subject for case in (kind["wang"], kind["li"], kind["closed"]))
    assert found(agent_client, kind["url"], number[-4:]) == ["收费不透明 App闪退"]


def test_a_whole_number_lists_its_case_in_the_desks_order_whatever_its_state(agent_client, kind,
                                                                             django_assert_max_num_queries):
    """One case: no nearest-deadline order to compute (a closed case's, after every case with a
    deadline, read every open clock at a million)."""
    number = kind["closed"].number
    agent_client.get(kind["url"])
    with django_assert_max_num_queries(9):
        assert found(agent_client, kind["url"], number.lower(), state="") == ["保养价格过高"]
    assert found(agent_client, kind["url"], number) == []  # the open ones by default
    response = agent_client.get(kind["url"], {"q": number, "state": ""})
    assert response.context["sort"] == "deadline"  # the order offered stays the desk's


@pytest.mark.parametrize("text", ["%", "_", "\\", "'", "%明"])
def test_like_wildcards_are_plain_characters(agent_client, kind, text):
    assert found(agent_client, kind["url"], text, state="") == []


def test_a_part_in_more_names_than_are_listed_finds_the_same_cases(agent_client, kind, monkeypatch):
    """Past NAME_MATCHES_LISTED customers the names are a sub-query rather than a list of ids."""
    from workflow import selectors

    monkeypatch.setattr(selectors, "NAME_MATCHES_LISTED", 1)
    assert found(agent_client, kind["url"], "明") == ["发动机异响，异响多次维修", "收费不透明 App闪退"]
    assert found(agent_client, kind["url"], "晓", state="") == ["保养价格过高", "收费不透明 App闪退"]
    CustomerFactory(name="王晓")  # two names with 晓 now: more than listed
    assert found(agent_client, kind["url"], "晓", state="") == ["保养价格过高", "收费不透明 App闪退"]
    assert found(agent_client, kind["url"], "收费") == ["收费不透明 App闪退"]


def test_a_case_found_twice_is_listed_once(agent_client, kind):
    """By its customer's name and by its subject at once."""
    kind["wang"].customer.name = "王发动"
    kind["wang"].customer.save()
    response = agent_client.get(kind["url"], {"q": "发动"})
    assert [case.subject for case in response.context["page"].object_list] == ["发动机异响，异响多次维修"]
    assert response.context["page"].paginator.count == 1


def test_a_search_page_reads_a_bounded_number_of_queries(agent_client, kind, django_assert_max_num_queries):
    """However many cases are found: the session, the user and their roles, the customers whose
    names contain the text, the count, the page in deadline order (the clocks, how many cases have
    one, the rows: these cases have none), the rows' deadlines, the notifications and the units."""
    factory = KINDS[kind["url"].strip("/")][0]
    for i in range(30):
        factory(subject=f"收费问题{i}", customer=CustomerFactory(name=f"张{i}"), state=kind["wang"].state)
    agent_client.get(kind["url"])
    for text in ("收", "收费", "收费问题", "张", "王小明"):
        with django_assert_max_num_queries(11):
            response = agent_client.get(kind["url"], {"q": text})
        assert response.status_code == 200
    with django_assert_max_num_queries(11):
        assert agent_client.get(kind["url"], {"q": "收费", "state": "", "sort": "-received"}).status_code == 200
    with django_assert_max_num_queries(11):
        assert agent_client.get("/complaints/search/", {"q": "收费"}).status_code == 200
    response = agent_client.get(kind["url"], {"q": "收费"})
    assert response.context["page"].paginator.count == 31


def test_a_search_counts_up_to_its_own_lower_cap(agent_client, kind, monkeypatch):
    """A search that finds more than SEARCH_COUNT_CAP cases says so and asks for a narrower one
    (counting a thousand rows, not ten thousand); the queue without a search keeps COUNT_CAP."""
    from casework import pagination
    from workflow import pages

    monkeypatch.setattr(pagination, "SEARCH_COUNT_CAP", 1)
    monkeypatch.setattr(pages, "SEARCH_COUNT_CAP", 1)
    response = agent_client.get(kind["url"], {"q": "明"})
    assert response.context["page"].paginator.capped
    assert len(response.context["page"].object_list) == 2  # the page itself is whole
    assert f"More than 1,000 {kind['url'].strip('/')} found: narrow the search." in response.content.decode()
    response = agent_client.get(kind["url"], {"q": "收费"})
    assert not response.context["page"].paginator.capped and response.context["page"].paginator.count == 1
    response = agent_client.get(kind["url"])
    assert not response.context["page"].paginator.capped and response.context["page"].paginator.count == 2


def test_the_header_search_finds_by_a_part_of_the_name_in_both_kinds(agent_client, db):
    wang = CustomerFactory(name="王小明")
    ComplaintFactory(subject="发动机异响", customer=wang, state="closed")
    ProposalFactory(subject="建议周末开放", customer=wang, state="submitted")
    complaints, proposals = agent_client.get("/complaints/search/", {"q": "小明"}).context["results"]
    assert [c.subject for c in complaints["cases"]] == ["发动机异响"]
    assert [p.subject for p in proposals["cases"]] == ["建议周末开放"]


@pytest.mark.parametrize("text, may", [("ts2099", True), ("01-0000", True), ("TA", True), ("王", False),
                                       ("ts 20", False), ("收费", False)])
def test_only_text_that_can_be_in_a_case_number_looks_at_the_numbers(text, may):
    assert may_be_in_a_case_number(text) is may


def explained(queryset) -> str:
    """The plan PostgreSQL makes when it may only read indexes through bitmaps."""
    sql, params = queryset.order_by().query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres
@pytest.mark.parametrize("model, prefix", [(Complaint, "complaint"), (Proposal, "proposal")])
@pytest.mark.parametrize("text", ["王", "小明", "王小明", "ab12", "多次维修"])
def test_postgresql_can_read_every_part_through_its_gram_index(db, model, prefix, text):
    """The indexes' expressions and conditions (written in the migrations) are the queries', to the
    letter: each is read (the numbers' only for text that can be in a number), and the cases of
    the customers found by name through the cases' customer index."""
    CustomerFactory(name=f"{text}先生")
    assert "customer_name_grams" in explained(Customer.objects.filter(text_contains(["name"], text)))
    plan = explained(model.objects.filter(case_search(text)))
    assert f"{prefix}_subject_grams" in plan and "customer_id" in plan, plan
    assert (f"{prefix}_number_grams" in plan) is may_be_in_a_case_number(text), plan
    # The queue's default, the open cases: their own gram indexes.
    plan = explained(model.objects.open().filter(case_search(text)))
    assert f"{prefix}_open_subject_grams" in plan, plan
    assert (f"{prefix}_open_number_grams" in plan) is may_be_in_a_case_number(text), plan
