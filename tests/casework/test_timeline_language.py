"""The timeline says what happened, in the reader's language: each entry is named by its action (驳回,
批准, 客户同意…, not a generic 状态变更), and the system's own lines (the dispatch, a callback's
outcome, the channel) follow the language of whoever reads the page, not of whoever wrote them."""

import re

import pytest
from django.conf import settings
from django.utils import timezone, translation

from casework.models import CaseEvent
from complaints import services
from complaints.workflow import WORKFLOW
from tests.factories import CustomerFactory


def read_as(client, language: str, path: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def timeline_of(page: str) -> str:
    """The timeline section only (the action forms above it name the actions too)."""
    return page[page.index('<ol class="timeline">'):page.index("</ol>", page.index('<ol class="timeline">'))]


def entry_names(page: str) -> list[str]:
    return re.findall(r"<strong>(.*?)</strong>", timeline_of(page))


@pytest.fixture
def walked(agent, handler_a, manager, unit_a):
    """A complaint taken through its whole loop once: registered by phone, contacted, dispatched to
    QA, a solution proposed, rejected, proposed again, approved, agreed, implemented, and a
    dissatisfied callback that sends it back to the unit. Written in Chinese, as the desk works."""
    with translation.override("zh-hans"):
        c = services.complaint_register(
            actor=agent, customer=CustomerFactory(), channel="phone", received_at=timezone.now(),
            category="service_process", subject="门店服务态度差", description="接待人员态度恶劣。")
        c = services.complaint_contact(complaint=c, actor=agent, note="已联系客户")
        c = services.complaint_dispatch(complaint=c, actor=agent, unit=unit_a, note="请核实")
        propose = {"root_cause": "培训不足", "solution": "重新培训", "resolution_type": "apology",
                   "resolution_amount": None}
        c = services.complaint_propose(complaint=c, actor=handler_a, **propose)
        c = services.complaint_reject(complaint=c, actor=manager, note="方案不具体")
        c = services.complaint_propose(complaint=c, actor=handler_a, **propose)
        c = services.complaint_approve(complaint=c, actor=manager)
        c = services.complaint_customer_agrees(complaint=c, actor=agent)
        c = services.complaint_implement(complaint=c, actor=handler_a, report="已完成培训")
        c = services.complaint_record_callback(complaint=c, actor=agent, outcome="dissatisfied",
                                               note="客户要求再次上门")
    return c


def test_the_same_timeline_reads_in_chinese_and_in_english(manager_client, walked):
    path = f"/complaints/{walked.number}/"
    zh = timeline_of(read_as(manager_client, "zh-hans", path))
    en = timeline_of(read_as(manager_client, "en", path))

    # The dispatch, the callback's outcome and the channel, each in the reader's words.
    assert "已派工至 QA 质量部。" in zh and "Dispatched to QA 质量部." not in zh
    assert "Dispatched to QA 质量部." in en and "已派工至" not in en
    assert "不满意" in zh and "Dissatisfied" in en and "不满意" not in en
    assert "电话" in zh and "Phone" in en and "电话" not in en
    # What people wrote stays as written, in both.
    for written in ("请核实", "方案不具体", "客户要求再次上门", "重新培训"):
        assert written in zh and written in en


def test_every_action_on_the_complaint_timeline_is_named(manager_client, walked):
    actions = list(CaseEvent.objects.filter(case_type__model="complaint", case_id=walked.pk)
                   .order_by("created_at", "pk").values_list("action", flat=True))
    assert {"contact", "dispatch", "propose", "reject", "approve", "customer_agrees", "implement",
            "record_callback"} <= set(actions)
    path = f"/complaints/{walked.number}/"
    for language in ("zh-hans", "en"):
        names = entry_names(read_as(manager_client, language, path))
        with translation.override(language):
            expected = [str(WORKFLOW.steps[a].label) if a in WORKFLOW.steps else None for a in actions]
            generic = str(CaseEvent.Kind.TRANSITION.label)
        assert len(names) == len(expected)
        for action, name, label in zip(actions, names, expected, strict=True):
            assert name != generic, action
            if label is not None:
                assert name == label, action
    zh_names = entry_names(read_as(manager_client, "zh-hans", path))
    assert {"驳回", "批准", "客户同意", "提出解决方案", "报告实施情况", "记录回访", "派工给责任单位"} <= set(zh_names)
    assert "状态变更" not in zh_names


def test_a_message_to_the_customer_is_named_and_read_in_the_readers_language(manager_client, walked):
    page = read_as(manager_client, "en", f"/complaints/{walked.number}/")
    assert "Message to the customer queued:" in timeline_of(page)
    assert "已排队发送客户消息" not in timeline_of(page)


def test_an_unknown_action_is_named_by_its_kind_and_an_old_row_shows_its_stored_note(manager_client, walked, agent):
    """Rows written before the lines (or by an action since removed) keep what they stored."""
    CaseEvent.objects.create(case_type=CaseEvent.objects.filter(case_id=walked.pk).first().case_type,
                             case_id=walked.pk, kind=CaseEvent.Kind.ASSIGNMENT, action="retired_action",
                             actor=agent, note="已派工至 Q01 旧单位。")
    page = read_as(manager_client, "en", f"/complaints/{walked.number}/")
    assert "<strong>Assignment</strong>" in timeline_of(page)
    assert "已派工至 Q01 旧单位。" in timeline_of(page)
