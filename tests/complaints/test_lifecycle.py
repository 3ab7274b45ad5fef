"""One complaint walked through every transition by the right people, through the pages,
with the refusals a real desk runs into on the way."""

from django.utils import timezone

from complaints.models import Complaint

from .helpers import post_action, reload, timeline_actions


def register(client, **overrides):
    data = {
        "customer_name": "张伟",
        "customer_phone": "13812345678",
        "customer_tier": "ordinary",
        "kind": "complaint",
        "channel": "hotline",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "category": "service_process",
        "priority": "normal",
        "subject": "维修等待时间过长",
        "description": "客户在门店等待四小时仍未完成保养。",
    }
    data.update(overrides)
    return client.post("/complaints/new/", data)


def test_complaint_walks_every_transition(
    agent_client, manager_client, handler_a_client, handler_b_client, unit_a, agent
):
    response = register(agent_client)
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert response.url == f"/complaints/{complaint.number}/"
    assert complaint.number == f"TS{timezone.localtime():%Y%m}-000001"
    assert complaint.state == "registered"
    assert complaint.first_responder == agent

    # Not yet dispatched: no handler sees it, not even by its address.
    assert handler_a_client.get(f"/complaints/{complaint.number}/").status_code == 404
    assert post_action(handler_a_client, complaint, "contact", note="x").status_code == 404

    # The manager cannot approve what nobody proposed: clear message, nothing changes.
    response = post_action(manager_client, complaint, "approve")
    assert response.status_code == 409
    assert "not possible" in response.content.decode()
    assert reload(complaint).state == "registered"

    assert post_action(agent_client, complaint, "contact", note="已致电客户").status_code == 302
    assert reload(complaint).state == "contacted"
    assert reload(complaint).first_contacted_at is not None

    assert post_action(agent_client, complaint, "dispatch", unit=unit_a.pk, note="请核实").status_code == 302
    complaint = reload(complaint)
    assert (complaint.state, complaint.responsible_unit) == ("assigned", unit_a)

    # The other unit's handler gets 404; the agent may not propose for the unit.
    assert handler_b_client.get(f"/complaints/{complaint.number}/").status_code == 404
    assert post_action(handler_b_client, complaint, "propose", root_cause="x", solution="y",
                       resolution_type="explanation").status_code == 404
    response = post_action(agent_client, complaint, "propose", root_cause="x", solution="y",
                           resolution_type="explanation")
    assert response.status_code == 403
    assert reload(complaint).state == "assigned"

    def propose():
        return post_action(handler_a_client, complaint, "propose", root_cause="排班不足",
                           solution="增加周末技师并赠送保养券", resolution_type="goodwill", resolution_amount="200")

    assert propose().status_code == 302
    assert reload(complaint).state == "pending_approval"

    # Approval is the manager's alone.
    assert post_action(agent_client, complaint, "approve").status_code == 403
    assert post_action(handler_a_client, complaint, "approve").status_code == 403
    assert reload(complaint).state == "pending_approval"

    assert post_action(manager_client, complaint, "reject", note="补偿方案不充分").status_code == 302
    assert reload(complaint).state == "assigned"
    assert propose().status_code == 302
    assert post_action(manager_client, complaint, "approve", note="同意").status_code == 302
    assert reload(complaint).state == "approved"

    assert post_action(agent_client, complaint, "customer_disagrees", note="客户要求更高补偿").status_code == 302
    assert reload(complaint).state == "assigned"
    assert propose().status_code == 302
    assert post_action(manager_client, complaint, "approve").status_code == 302
    assert post_action(agent_client, complaint, "customer_agrees", note="客户接受").status_code == 302
    assert reload(complaint).state == "in_progress"

    assert post_action(agent_client, complaint, "implement", report="done").status_code == 403
    assert post_action(handler_a_client, complaint, "implement", report="已赠送保养券").status_code == 302
    assert reload(complaint).state == "resolved"

    # Only the desk calls back; a dissatisfied customer reopens the case: back to the desk, which
    # dispatches it again (seed 004: "若顾客不满意，则重新从第二步开始处理").
    assert post_action(handler_a_client, complaint, "record_callback", outcome="satisfied").status_code == 403
    assert post_action(agent_client, complaint, "record_callback", outcome="dissatisfied",
                       note="仍不满意").status_code == 302
    complaint = reload(complaint)
    assert (complaint.state, complaint.reopen_count) == ("contacted", 1)
    assert post_action(agent_client, complaint, "dispatch", unit=complaint.responsible_unit_id).status_code == 302

    assert propose().status_code == 302
    assert post_action(manager_client, complaint, "approve").status_code == 302
    assert post_action(agent_client, complaint, "customer_agrees").status_code == 302
    assert post_action(handler_a_client, complaint, "implement", report="技师上门致歉").status_code == 302
    assert post_action(agent_client, complaint, "record_callback", outcome="satisfied").status_code == 302
    complaint = reload(complaint)
    assert (complaint.state, complaint.closure_type) == ("closed", "satisfied")
    assert complaint.closed_at is not None

    # Closed is final, even for the manager.
    assert post_action(manager_client, complaint, "force_close", reason="x").status_code == 409
    assert reload(complaint).state == "closed"

    assert timeline_actions(complaint) == [
        "register", "customer_message", "contact", "dispatch", "propose", "reject", "propose", "approve",
        "customer_disagrees", "propose", "approve", "customer_agrees", "implement",
        "record_callback", "dispatch", "propose", "approve", "customer_agrees", "implement", "record_callback",
        "customer_message",  # the closure, told to the customer
    ]

    page = manager_client.get(f"/complaints/{complaint.number}/").content.decode()
    assert "增加周末技师并赠送保养券" in page and "Timeline" in page


def test_invalid_complaint_closes_only_with_the_managers_approval(agent_client, manager_client, agent):
    register(agent_client)
    complaint = Complaint.objects.get()
    post_action(agent_client, complaint, "contact", note="已联系")

    assert post_action(agent_client, complaint, "propose_invalid", reason="非本公司产品").status_code == 302
    assert reload(complaint).state == "pending_approval"
    # Refused: back to the desk, which then dispatches it.
    assert post_action(manager_client, complaint, "reject", note="需要核实").status_code == 302
    assert reload(complaint).state == "contacted"
    assert not reload(complaint).invalid_proposed

    post_action(agent_client, complaint, "propose_invalid", reason="经核实非本公司产品")
    assert post_action(manager_client, complaint, "approve").status_code == 302
    complaint = reload(complaint)
    assert (complaint.state, complaint.closure_type, complaint.validity) == ("closed", "invalid", "invalid")


def test_forced_closure_is_the_managers_and_needs_a_reason(agent_client, manager_client, agent):
    register(agent_client)
    complaint = Complaint.objects.get()

    assert post_action(agent_client, complaint, "force_close", reason="客户撤诉").status_code == 403
    response = post_action(manager_client, complaint, "force_close", reason="")
    assert response.status_code == 400
    assert reload(complaint).state == "registered"

    assert post_action(manager_client, complaint, "force_close", reason="客户书面撤诉").status_code == 302
    complaint = reload(complaint)
    assert (complaint.state, complaint.closure_type, complaint.closure_reason) == ("closed", "forced", "客户书面撤诉")
    assert timeline_actions(complaint) == ["register", "customer_message", "force_close", "customer_message"]


def test_stale_form_gets_a_conflict_message_and_changes_nothing(agent_client, manager_client, agent):
    register(agent_client)
    complaint = Complaint.objects.get()
    shown_version = complaint.version
    post_action(agent_client, complaint, "contact", note="第一次联系")

    # The manager's page was loaded before the contact: its force-close form is stale.
    response = post_action(manager_client, complaint, "force_close", version=shown_version, reason="重复登记")
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    assert reload(complaint).state == "contacted"
    assert timeline_actions(complaint) == ["register", "customer_message", "contact"]


def test_detail_page_offers_only_the_users_actions(agent_client, manager_client, handler_a_client, unit_a):
    register(agent_client)
    complaint = Complaint.objects.get()
    post_action(agent_client, complaint, "contact", note="已联系")
    post_action(agent_client, complaint, "dispatch", unit=unit_a.pk)

    def offered(client):
        page = client.get(f"/complaints/{complaint.number}/").content.decode()
        return {a for a in ["contact", "dispatch", "propose", "approve", "force_close"]
                if f'/complaints/{complaint.number}/{a}/"' in page}

    assert offered(handler_a_client) == {"propose"}
    assert offered(agent_client) == set()
    assert offered(manager_client) == {"force_close"}
