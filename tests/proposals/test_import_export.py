"""Proposals import and export the same way as complaints (issue 13): history arrives as it was,
with its feedback clock met or breached and never escalated; open rows run their clock from receipt;
the admin's export masks the customer's phone and escapes formulas."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from casework.models import CaseEvent
from proposals.models import Proposal
from sla.models import Milestone
from sla.sweep import sla_sweep

from ..factories import CustomerFactory

HEADER = "受理时间,提案人,联系电话,渠道,类别,主题,提案内容,状态,责任单位,致谢时间,转交时间,评估结论,反馈时间,关闭时间\n"


def t(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def row(received, state="", unit="", acknowledged=None, routed=None, decision="", feedback=None, closed=None,
        phone="13812345678"):
    return ",".join([t(received), "王芳", phone, "书面提案", "售后服务", "延长保养间隔", "建议延长保养间隔", state,
                     unit, t(acknowledged), t(routed), decision, t(feedback), t(closed)]) + "\n"


def preview(client, text):
    return client.post("/imports/", {"kind": "proposals", "file": SimpleUploadedFile("提案.csv", text.encode("gbk"))})


def test_closed_and_open_proposals_are_imported_as_they_stood(manager_client, unit_a):
    received = (timezone.now() - timedelta(days=90)).replace(second=0, microsecond=0)
    day = timedelta(days=1)
    response = preview(manager_client, HEADER
                       + row(received, "已结案", "QA", received + day, received + 2 * day, "采纳", received + 5 * day,
                             received + 6 * day)
                       + row(received, "已结案", "QA", received + day, received + 2 * day, "不采纳",
                             received + 40 * day, received + 41 * day, phone="13900001111")
                       + row(received, "评估中", "QA", received + day, received + 2 * day, phone="13900002222"))
    assert response.status_code == 200, response.context["preview"].errors
    manager_client.post("/imports/confirm/", {"token": response.context["import_token"]})
    in_time, late, open_ = Proposal.objects.order_by("customer__phone")
    assert (in_time.state, in_time.decision, in_time.responsible_unit) == ("closed", "adopted", unit_a)
    assert in_time.closed_at == received + 6 * day
    clock = {p.number: Milestone.objects.get(case_id=p.pk, case_type__model="proposal")
             for p in (in_time, late, open_)}
    assert (clock[in_time.number].status, clock[in_time.number].met_at) == ("met", received + 5 * day)
    assert clock[late.number].status == "breached"  # ten working days are long gone after forty days
    assert (open_.state, clock[open_.number].status) == ("under_review", "pending")
    assert set(CaseEvent.objects.filter(case_type__model="proposal").values_list("action", flat=True)) == {"import"}
    sla_sweep(now=timezone.now())
    for proposal in (in_time, late):
        proposal.refresh_from_db()
        assert proposal.escalation_level == 0  # history is never escalated
    open_.refresh_from_db()
    assert open_.escalation_level >= 1  # the open one's clock ran out long ago, as any open proposal's


def test_a_proposal_with_an_unknown_unit_or_an_unimportable_state_writes_nothing(manager_client, unit_a):
    received = timezone.now() - timedelta(days=30)
    response = preview(manager_client, HEADER + row(received, "评估中", "XX", received, received)
                       + row(received, "evaluated", phone="13900001111"))
    assert response.status_code == 400
    errors = {e.line: " ".join(e.messages) for e in response.context["preview"].errors}
    assert "XX" in errors[2] and "cannot be imported" in errors[3]
    assert not Proposal.objects.exists()


def test_the_admin_export_masks_the_phone_and_escapes_formulas(admin_client_role, admin_user):
    from django.contrib.auth.models import Permission

    from proposals.resources import ProposalResource

    customer = CustomerFactory(phone="13812345678", name="=HYPERLINK(\"http://x\")")
    Proposal.objects.create(number="TA209901-000001", customer=customer, channel="written",
                            received_at=timezone.now(), category="other", subject="导出测试", content="内容",
                            first_responder=admin_user)
    chosen = {f"proposalresource_{name}": "on" for name in ProposalResource.Meta.fields}

    def exported():
        response = admin_client_role.post("/admin/proposals/proposal/export/",
                                          {"format": "0", "resource": "0", **chosen})
        assert response.status_code == 200
        return response.content.decode("utf-8-sig")

    text = exported()
    assert "导出测试" in text and "138****5678" in text and "13812345678" not in text
    assert "'=HYPERLINK" in text or "\"'=HYPERLINK" in text
    admin_user.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    assert "13812345678" in exported()
