"""The unit keeps the desk told of its latest status until the case is closed — seed 001 5.3:
"对…未被公司审核关闭的'服务派工单'，服务商要继续回复最新处理状况，直至投诉关闭"."""

import pytest

from casework.models import CaseEvent, Notification

from ..factories import ComplaintFactory
from .helpers import post_action, reload


@pytest.mark.parametrize("state", ["assigned", "pending_approval", "approved", "in_progress"])
def test_the_unit_reports_its_latest_status_and_the_desk_is_told(handler_a_client, unit_a, agent, state):
    complaint = ComplaintFactory(state=state, responsible_unit=unit_a, first_responder=agent)
    response = post_action(handler_a_client, complaint, "report_status", note="配件已到货，预计周五完成更换")
    assert response.status_code == 302
    after = reload(complaint)
    assert after.state == state and after.version == complaint.version + 1
    entry = CaseEvent.objects.get(case_id=complaint.pk, action="report_status")
    assert entry.note == "配件已到货，预计周五完成更换" and (entry.from_state, entry.to_state) == ("", "")
    assert Notification.objects.get().recipient == agent


def test_only_the_units_handlers_report_and_only_while_it_has_the_case(
        agent_client, handler_a_client, handler_b_client, unit_a):
    with_the_unit = ComplaintFactory(state="assigned", responsible_unit=unit_a)
    assert post_action(agent_client, with_the_unit, "report_status", note="x").status_code == 403
    assert post_action(handler_b_client, with_the_unit, "report_status", note="x").status_code == 404
    resolved = ComplaintFactory(state="resolved", responsible_unit=unit_a)
    assert post_action(handler_a_client, resolved, "report_status", note="x").status_code in (403, 409)
    assert post_action(handler_a_client, with_the_unit, "report_status", note="").status_code == 400
    assert not CaseEvent.objects.filter(action="report_status").exists()
