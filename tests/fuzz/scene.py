"""The records the fuzzed pages are about: cases in every state (moved there by the real
services, so their timelines, clocks and notifications are real), a customer, two units,
attachments, notifications, and one row of every model the admin shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from captcha.models import CaptchaStore
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils import timezone

from casework.models import (
    Attachment,
    CaseNumberSequence,
    ContactPerson,
    CustomerCorrection,
    ImportJob,
    Notification,
)
from casework.services import attachment_add, customer_find_or_create
from complaints import services as complaint_services
from complaints.models import Complaint
from proposals import services as proposal_services
from proposals.models import Proposal, ProposalTarget
from reports.models import MonthlyReportMailing, NegativeMediaExposure, UnitAssessmentInput
from reports.periods import Month
from reports.snapshots import report_of_month
from satisfaction.answers import survey_answers_form
from satisfaction.links import survey_link_issue
from satisfaction.models import Survey, SurveyCampaign, SurveyQuestion, SurveyTemplate, SurveyTemplateVersion
from satisfaction.workflow import WORKFLOW as SURVEY_WORKFLOW
from sla.models import CalendarDay, Escalation, Milestone
from workflow.act import case_act

from ..factories import UnitFactory, UserFactory


@dataclass
class Scene:
    users: dict  # role name → user (None for anonymous)
    unit_a: object
    unit_b: object
    complaints: list[Complaint]
    proposals: list[Proposal]
    surveys: list[Survey] = field(default_factory=list)
    survey_links: list[str] = field(default_factory=list)  # one-time link tokens (a working one first)
    captcha_keys: list[str] = field(default_factory=list)  # the portal's CAPTCHA: a live key and a made-up one
    attachments: dict[str, list[Attachment]] = field(default_factory=dict)  # app label → attachments

    def objects_of(self, model: type[models.Model]) -> list[models.Model]:
        """A row of `model`, to fill an admin page's object id."""
        first = model._default_manager.order_by("pk").first()
        return [first] if first is not None else []


def _complaint_chain(desk, manager, handler, unit):
    """One complaint per state, each moved there by the services the pages call."""
    customer = customer_find_or_create(name="张伟", phone="13812345678", organisation="甲公司", tier="key")
    steps = [
        lambda c: complaint_services.complaint_contact(complaint=c, actor=desk, note="已联系客户"),
        lambda c: complaint_services.complaint_dispatch(complaint=c, actor=desk, unit=unit, note="请处理"),
        lambda c: complaint_services.complaint_propose(complaint=c, actor=handler, root_cause="培训不足",
                                                       solution="重新培训", resolution_type="repair",
                                                       resolution_amount=None),
        lambda c: complaint_services.complaint_approve(complaint=c, actor=manager, note="同意"),
        lambda c: complaint_services.complaint_customer_agrees(complaint=c, actor=desk),
        lambda c: complaint_services.complaint_implement(complaint=c, actor=handler, report="已整改"),
        lambda c: complaint_services.complaint_record_callback(complaint=c, actor=desk, outcome="satisfied"),
    ]
    complaints = []
    for depth in range(len(steps) + 1):
        complaint = complaint_services.complaint_register(
            actor=desk, customer=customer, kind="complaint", channel="hotline",
            received_at=timezone.now() - timedelta(days=depth + 1), category="service_process",
            subject=f"门店服务态度差 {depth}", description="客户反映接待人员态度恶劣。", customer_demand="道歉",
            target="北京4S店", priority="normal", complainant_class="", estimated_loss=None, is_major=depth % 2 == 0)
        for step in steps[:depth]:
            complaint = step(complaint)
        complaints.append(complaint)
    return customer, complaints


def _proposal_chain(desk, manager, handler, unit, customer):
    in_a_week = timezone.localdate() + timedelta(days=7)
    steps = [
        lambda p: proposal_services.proposal_acknowledge(proposal=p, actor=desk, note="感谢建议"),
        lambda p: proposal_services.proposal_route(proposal=p, actor=manager, unit=unit, note=""),
        lambda p: proposal_services.proposal_evaluate(proposal=p, actor=handler, decision="adopted", opinion="可行",
                                                      planned_implementation_on=in_a_week, measures="合并工序"),
        lambda p: proposal_services.proposal_feedback(proposal=p, actor=desk, handling_satisfaction="satisfied",
                                                      note="已告知客户"),
        lambda p: proposal_services.proposal_implement(proposal=p, actor=handler, report="已实施",
                                                       cost_reduction=1000),
        lambda p: proposal_services.proposal_close(proposal=p, actor=desk),
    ]
    proposals = []
    for depth in range(len(steps) + 1):
        proposal = proposal_services.proposal_register(
            actor=desk, customer=customer, channel="written", received_at=timezone.now() - timedelta(days=depth + 1),
            category="after_sales", subject=f"建议延长售后服务时间 {depth}", content="建议周末也开放售后接待。")
        for step in steps[:depth]:
            proposal = step(proposal)
        proposals.append(proposal)
    # The other end state: archived straight from acknowledged.
    archived = proposal_services.proposal_register(
        actor=desk, customer=customer, channel="written", received_at=timezone.now() - timedelta(days=2),
        category="after_sales", subject="重复的建议", content="同上。")
    archived = proposal_services.proposal_acknowledge(proposal=archived, actor=desk, note="感谢")
    proposals.append(proposal_services.proposal_archive(proposal=archived, actor=manager, reason="重复"))
    return proposals


def _survey_chain(desk, manager, unit, customer) -> list[Survey]:
    """A campaign's surveys planned, sent, reminded and answered, moved by the lifecycle's own path."""
    version = SurveyTemplateVersion.objects.create(template=SurveyTemplate.objects.create(name="年度满意度"), number=1)
    SurveyQuestion.objects.create(version=version, position=1, kind="score", text_zh="总体满意度", text_en="Overall")
    SurveyQuestion.objects.create(version=version, position=2, kind="text", text_zh="意见", text_en="Comments",
                                  required=False)
    campaign = SurveyCampaign.objects.create(name="2026 重点客户", audience="key", period_start=date(2026, 7, 1),
                                             period_end=date(2026, 12, 31), template_version=version,
                                             contact_method="email", planned_by=manager, status="approved",
                                             approved_by=manager, approved_at=timezone.now())
    [*numbers] = CaseNumberSequence.next_numbers(prefix="MY", at=timezone.now(), count=4)
    surveys = [Survey.objects.create(number=number, campaign=campaign, customer=customer, responsible_unit=unit,
                                     template_version=version, contact_method="email", first_responder=desk)
               for number in numbers]

    def act(survey, action, **data):
        return case_act(workflow=SURVEY_WORKFLOW, case=survey, actor=desk, action=action,
                        data={"version": survey.version, "note": "", **data})

    surveys[1] = act(surveys[1], "send")
    surveys[2] = act(act(surveys[2], "send"), "remind")
    answers = survey_answers_form(surveys[3], {"q1": "4", "q2": "满意"})
    assert answers.is_valid()
    surveys[3] = act(surveys[3], "record_answers", answers=answers, method="phone")
    return surveys


def build_scene() -> Scene:
    agent = UserFactory(username="agent", role="agent")
    manager = UserFactory(username="manager", role="manager")
    handler_a = UserFactory(username="handler_a", role="handler")
    handler_b = UserFactory(username="handler_b", role="handler")
    admin_user = UserFactory(username="admin", role="admin")
    admin_user.is_staff = True
    admin_user.save()
    nobody = UserFactory(username="nobody")  # logged in, but with none of the four roles
    unit_a = UnitFactory(code="QA", name="质量部", lead=handler_a)
    unit_b = UnitFactory(code="DB", name="北京4S店", kind="provider")
    unit_a.members.add(handler_a)
    unit_b.members.add(handler_b)
    UnitFactory(code="SUSP", name="停用单位", status="suspended")

    customer, complaints = _complaint_chain(agent, manager, handler_a, unit_a)
    proposals = _proposal_chain(agent, manager, handler_a, unit_a, customer)
    surveys = _survey_chain(agent, manager, unit_a, customer)

    # A working link to the survey that waits for its answer (re-issued: only a digest is kept), and
    # the same link with its signature broken.
    token = survey_link_issue(survey=surveys[1], now=timezone.now())
    surveys[1].save(update_fields=["link_digest", "link_expires_at"])
    survey_links = [token, token[:-3] + "xyz"]

    attachments = {}
    for case in (complaints[2], proposals[2], surveys[1]):
        scan = SimpleUploadedFile("现场照片.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", content_type="image/jpeg")
        attachments[case._meta.app_label] = [attachment_add(case=case, actor=agent, file=scan)]

    # Notifications to each role: one about a complaint, one about a proposal, one about no case.
    for user in (agent, manager, handler_a, handler_b, admin_user, nobody):
        for case in (complaints[2], proposals[2]):
            Notification.objects.create(recipient=user, source=f"fuzz:{case.number}", case_type_id=_ct(case),
                                        case_id=case.pk, case_number=case.number, message=f"{case.number} 需要处理")
        Notification.objects.create(recipient=user, source="fuzz:notice", message="系统维护通知")

    # Import jobs of the manager: one waiting for confirmation, one failed with its errors (issue 13).
    ImportJob.objects.create(user=manager, kind="complaints", filename="历史.csv", token="0" * 32,
                             status=ImportJob.Status.READY, rows_read=2, rows_checked=2)
    ImportJob.objects.create(user=manager, kind="complaints", filename="<b>坏</b>.csv", token="1" * 32,
                             status=ImportJob.Status.FAILED, rows_read=2, rows_checked=2, error_count=1,
                             errors=[{"line": 2, "messages": ["<script>x</script>"]}])

    # One row of each remaining model the admin shows, so its change and delete pages have an object.
    ContactPerson.objects.create(customer=customer, name="<i>李娜</i>", phone=customer.phone)
    CustomerCorrection.objects.create(customer=customer, field="tier", old_value="ordinary", new_value="key",
                                      case_number=complaints[0].number, actor=agent)
    milestone = Milestone.objects.filter(case_id=complaints[2].pk, case_type_id=_ct(complaints[2])).first()
    Escalation.objects.create(milestone=milestone, level=Escalation.Level.values[0], sweep_id="fuzz")
    CalendarDay.objects.get_or_create(date=date(2026, 10, 1), defaults={"kind": "holiday", "name": "国庆节"})
    ProposalTarget.objects.create(year=2026, half=1, target_count=10, target_adopted=3)
    UnitAssessmentInput.objects.create(unit=unit_a, year=2026, awards=1)
    MonthlyReportMailing.objects.create(month="2026-09", sent_at=timezone.now(), recipients="manager@example.com")
    report_of_month(month=Month(2026, 9))  # a month that is over: stored as version 1
    NegativeMediaExposure.objects.create(unit=unit_a, date=date(2026, 9, 18), description="晚报报道门店拒绝保修")
    # django-axes' login records, which the admin role reads and lifts.
    seen = {"user_agent": "Mozilla/5.0", "ip_address": "10.0.0.7", "username": "agent", "http_accept": "text/html",
            "path_info": "/login/"}
    AccessAttempt.objects.create(**seen, get_data="", post_data="username=agent", failures_since_start=3)
    AccessLog.objects.create(**seen)
    AccessFailureLog.objects.create(**seen, locked_out=False)
    assert CaseNumberSequence.objects.exists()

    users = {"anonymous": None, "nobody": nobody, "agent": agent, "handler_a": handler_a, "handler_b": handler_b,
             "manager": manager, "admin": admin_user}
    return Scene(users=users, unit_a=unit_a, unit_b=unit_b, complaints=complaints, proposals=proposals,
                 surveys=surveys, survey_links=survey_links, attachments=attachments,
                 captcha_keys=[CaptchaStore.generate_key(), "0" * 40])


def _ct(case) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(case).pk


def registered_admin_models() -> list[type[models.Model]]:
    return list(admin.site._registry)
