"""The proposal list: filters, what each role sees, and a query count that does not grow."""

from ..factories import ProposalFactory


def test_the_list_reads_a_fixed_number_of_queries(agent_client, unit_a, django_assert_max_num_queries):
    ProposalFactory.create_batch(3, responsible_unit=unit_a, state="under_review")
    agent_client.get("/proposals/")  # the session's idle clock is renewed once a minute, not on every page
    with django_assert_max_num_queries(10) as few:
        agent_client.get("/proposals/")
    ProposalFactory.create_batch(40, responsible_unit=unit_a, state="under_review")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = agent_client.get("/proposals/")
    assert response.status_code == 200


def test_filters_and_handler_visibility(agent_client, handler_a_client, unit_a, unit_b):
    mine = ProposalFactory(responsible_unit=unit_a, state="under_review", subject="甲部门的提案")
    other = ProposalFactory(responsible_unit=unit_b, state="under_review", subject="乙网点的提案")
    closed = ProposalFactory(state="closed", subject="已关闭的提案")
    page = handler_a_client.get("/proposals/").content.decode()
    assert mine.subject in page and other.subject not in page
    page = agent_client.get("/proposals/").content.decode()
    assert mine.subject in page and other.subject in page and closed.subject not in page  # open by default
    page = agent_client.get("/proposals/?state=closed").content.decode()
    assert closed.subject in page and mine.subject not in page
    page = agent_client.get(f"/proposals/?unit={unit_b.pk}&state=").content.decode()
    assert other.subject in page and mine.subject not in page
    page = agent_client.get(f"/proposals/?q={mine.number}").content.decode()
    assert mine.subject in page and other.subject not in page


def test_the_second_page_keeps_the_open_only_default(agent_client, settings):
    settings.PAGE_SIZE = 2
    ProposalFactory.create_batch(3, state="under_review")
    closed = ProposalFactory(state="closed")
    second = agent_client.get("/proposals/?page=2")
    assert second.context["page"].paginator.count == 3
    assert closed.number not in second.content.decode()
