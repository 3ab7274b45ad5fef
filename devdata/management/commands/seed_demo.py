"""Demo data for a laptop: one user per role, two units, a few customers, complaints and
proposals in different states, a questionnaire and a survey campaign, all made through the
services so timelines are real. The output ends with a survey link a newcomer can answer.

Beside them, a year of history (`--history`, 3,000 complaints by default) so the dashboard, the
trends and the reports show something on a first look: complaints and repair requests over the
last twelve months across six units, with every outcome, and proposals with their half-year
targets. They are written in bulk by devdata's synthetic generators, which follow the models'
transitions and compute every deadline with the real SLA policies and calendar, so states,
closure types, timestamps, milestones, callbacks and timelines are what the workflow would have
written — in seconds, where thousands of workflow runs would take minutes. Seeded, so every
laptop gets the same history; written once (marked by its cases' description)."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from casework.models import Customer, ResponsibleUnit
from complaints import services
from complaints.choices import Category, Channel, Priority
from complaints.models import Complaint
from devdata.synthetic_complaints import generate as generate_complaints
from devdata.synthetic_proposals import generate_proposals
from proposals import services as proposal_services
from proposals.models import Proposal, ProposalTarget
from satisfaction.choices import SurveyState
from satisfaction.link_answers import survey_answer_by_link
from satisfaction.links import survey_link_issue
from satisfaction.models import Survey, SurveyCampaign, SurveyTemplate
from satisfaction.planning import campaign_approve, campaign_plan
from satisfaction.templates_service import template_create
from satisfaction.workflow import WORKFLOW as SURVEY_WORKFLOW
from workflow.act import case_act

DEMO_PASSWORD = "closeloop"
DEMO_USERS = [
    # username, full name (Chinese), role, unit code
    ("agent", "王芳", "agent", None),
    ("handler_a", "李强", "handler", "Q01"),
    ("handler_b", "赵敏", "handler", "D01"),
    ("manager", "陈静", "manager", None),
    ("admin", "周涛", "admin", None),
]
QUESTIONNAIRE = "客户满意度调查表"
QUESTIONS = [
    {"kind": "score", "text_zh": "您对我们服务的总体满意程度如何？",
     "text_en": "How satisfied are you with our service overall?"},
    {"kind": "score", "text_zh": "您对问题处理的及时性是否满意？",
     "text_en": "How satisfied are you with how quickly issues are handled?"},
    {"kind": "choice", "text_zh": "您是否愿意向他人推荐我们？", "text_en": "Would you recommend us to others?",
     "choices_zh": ["愿意", "不确定", "不愿意"], "choices_en": ["Yes", "Not sure", "No"]},
    {"kind": "text", "text_zh": "您对我们还有哪些意见和建议？", "text_en": "Any other comments or suggestions?",
     "required": False},
]
DEMO_ANSWERS = [{"q1": "5", "q2": "4", "q3": "愿意", "q4": "服务专业，响应及时。"},
                {"q1": "3", "q2": "2", "q3": "不确定", "q4": "备件到货太慢。"}]
# Where `make run` serves the site by default; the customer's page is /s/<token>/.
SITE = "http://127.0.0.1:8000"

# The history's units beside the demo users' Q01 and D01, each with a handler of its own:
# code, name, kind, monthly complaint limit, handler's user name.
HISTORY_UNITS = [
    ("Q02", "技术服务部", ResponsibleUnit.Kind.INTERNAL, 60, "handler_q02"),
    ("D02", "上海浦东4S店", ResponsibleUnit.Kind.PROVIDER, 40, "handler_d02"),
    ("D03", "广州天河服务站", ResponsibleUnit.Kind.PROVIDER, 30, "handler_d03"),
    ("L01", "物流配送中心", ResponsibleUnit.Kind.INTERNAL, 25, "handler_l01"),
]
# The history's cases say what they are; their presence is also what makes a second run skip them.
HISTORY_COMPLAINT_NOTE = "客户来电反映问题，要求尽快处理。（演示历史数据）"
HISTORY_PROPOSAL_NOTE = "客户来信提出改进建议。（演示历史数据）"
HISTORY_SEED = 2026


class Command(BaseCommand):
    help = ("Create the demo users (one per role), units, customers, complaints and proposals, and a year of "
            "history for the dashboard and reports. Safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("--history", type=int, default=3000, metavar="N",
                            help="complaints in the year of history (0: none); proposals are a tenth of it")
        parser.add_argument("--site", default=SITE, help="where the site is served, for the printed survey link "
                                                         "(make run passes its HOST and PORT)")

    @transaction.atomic
    def handle(self, *args, history=3000, site=None, **options):
        users = self._users()
        # Before the complaints: the major one among them asks for a special survey (seed 002 第十二条).
        if not SurveyTemplate.objects.filter(name=QUESTIONNAIRE).exists():
            template_create(name=QUESTIONNAIRE, questions=QUESTIONS, actor=users["manager"])
        if not Complaint.objects.exists():
            self._complaints(users)
        if not Proposal.objects.exists():
            self._proposals(users)
        if not SurveyCampaign.objects.exists():
            self._campaign(users)
        if history and not Complaint.objects.filter(description=HISTORY_COMPLAINT_NOTE).exists():
            self._history(users, complaints=history)
        self.stdout.write(self.style.SUCCESS("Demo users (password for all: %s):" % DEMO_PASSWORD))
        for username, name, role, unit in DEMO_USERS:
            where = f" of unit {unit}" if unit else ""
            self.stdout.write(f"  {username:<10} {role}{where} ({name})")
        self._survey_link((site or SITE).rstrip("/"))

    def _users(self):
        User = get_user_model()
        units = {
            "Q01": ResponsibleUnit.objects.get_or_create(
                code="Q01", defaults={"name": "质量管理部", "kind": ResponsibleUnit.Kind.INTERNAL,
                                      "monthly_complaint_limit": 20})[0],
            "D01": ResponsibleUnit.objects.get_or_create(
                code="D01", defaults={"name": "北京朝阳4S店", "kind": ResponsibleUnit.Kind.PROVIDER,
                                      "monthly_complaint_limit": 10})[0],
        }
        users = {}
        for username, name, role, unit_code in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.first_name = name
            user.is_staff = role == "admin"
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.add(Group.objects.get(name=role))
            if unit_code:
                units[unit_code].members.add(user)
                if units[unit_code].lead is None:
                    units[unit_code].lead = user
                    units[unit_code].save(update_fields=["lead"])
            users[username] = user
        users["units"] = units
        return users

    def _complaints(self, users):
        agent, manager, handler_a = users["agent"], users["manager"], users["handler_a"]
        q01 = users["units"]["Q01"]
        now = timezone.now()
        customers = [
            Customer.objects.create(name="张伟", organisation="华东物流有限公司", phone="13812345678",
                                    email="zhangwei@example.com", tier=Customer.Tier.KEY),
            Customer.objects.create(name="刘洋", phone="13987654321", tier=Customer.Tier.ORDINARY),
            Customer.objects.create(name="孙丽", organisation="鑫达建材", phone="021-64881234",
                                    tier=Customer.Tier.POTENTIAL),
        ]

        def register(customer, subject, category, hours_ago, **extra):
            return services.complaint_register(
                actor=agent, customer=customer, channel=extra.pop("channel", Channel.HOTLINE),
                received_at=now - timedelta(hours=hours_ago), category=category, subject=subject,
                description=extra.pop("description", subject), **extra)

        register(customers[1], "车辆异响，4S店两次检修未解决", Category.PRODUCT_QUALITY, 2,
                 customer_demand="更换变速箱", priority=Priority.HIGH)
        # Nobody has called this customer back: its 24-hour contact is overdue, for the sweep to escalate.
        register(customers[2], "投诉热线长时间无人接听", Category.SERVICE_PROCESS, 50, channel=Channel.WECHAT)
        c = register(customers[0], "备件到货延误两周", Category.PARTS_SUPPLY, 30,
                     estimated_loss=Decimal("60000"), channel=Channel.EMAIL)
        c = services.complaint_contact(complaint=c, actor=agent, note="已电话联系客户，说明将在三个工作日内答复。")
        c = services.complaint_dispatch(complaint=c, actor=agent, unit=q01, note="请核实备件订单状态。")
        c = register(customers[2], "销售人员承诺的优惠未兑现", Category.SERVICE_ATTITUDE, 80)
        c = services.complaint_contact(complaint=c, actor=agent, note="客户要求书面答复。")
        c = services.complaint_dispatch(complaint=c, actor=agent, unit=q01)
        c = services.complaint_propose(complaint=c, actor=handler_a, root_cause="销售顾问口头承诺未录入合同。",
                                       solution="按承诺退还差价并致歉。", resolution_type="compensation",
                                       resolution_amount=Decimal("1500"))
        c = register(customers[1], "维修后空调仍不制冷", Category.TECHNICAL, 200)
        c = services.complaint_contact(complaint=c, actor=agent, note="客户同意等待检测结果。")
        c = services.complaint_dispatch(complaint=c, actor=agent, unit=q01)
        c = services.complaint_propose(complaint=c, actor=handler_a, root_cause="冷媒泄漏。",
                                       solution="免费更换冷凝器。", resolution_type="repair")
        c = services.complaint_approve(complaint=c, actor=manager)
        c = services.complaint_customer_agrees(complaint=c, actor=agent)
        c = services.complaint_implement(complaint=c, actor=handler_a, report="已更换冷凝器并试车正常。")
        services.complaint_record_callback(complaint=c, actor=agent, outcome="satisfied", note="客户表示满意。")

    def _proposals(self, users):
        agent, manager, handler_a = users["agent"], users["manager"], users["handler_a"]
        q01 = users["units"]["Q01"]
        now = timezone.now()
        key = Customer.objects.filter(tier=Customer.Tier.KEY).first() or Customer.objects.create(
            name="张伟", organisation="华东物流有限公司", phone="13812345678", tier=Customer.Tier.KEY)

        def register(subject, category, hours_ago, **extra):
            return proposal_services.proposal_register(
                actor=agent, customer=key, channel=extra.pop("channel", "written"),
                received_at=now - timedelta(hours=hours_ago), category=category, subject=subject,
                content=extra.pop("content", subject), **extra)

        register("建议开放维修进度在线查询", "after_sales", 3, channel="hotline")
        p = register("建议合并出厂检验与入库检验", "process_efficiency", 60,
                     expected_benefit="每年可节约检验成本约二十万元")
        p = proposal_services.proposal_acknowledge(proposal=p, actor=agent,
                                                   note="已致谢，预计10个工作日内由质量管理部答复。")
        p = proposal_services.proposal_suggest_unit(proposal=p, actor=agent, unit=q01)
        p = register("建议统一备件包装规格", "logistics_sales", 300)
        p = proposal_services.proposal_acknowledge(proposal=p, actor=agent, note="已致谢。")
        p = proposal_services.proposal_route(proposal=p, actor=manager, unit=q01)
        p = proposal_services.proposal_evaluate(
            proposal=p, actor=handler_a, decision="adopted", opinion="可行，可减少破损。",
            planned_implementation_on=timezone.localdate() + timedelta(days=14), measures="修订包装标准。")
        p = proposal_services.proposal_feedback(proposal=p, actor=agent, handling_satisfaction="satisfied",
                                                note="已告知客户提案被采纳。")
        proposal_services.proposal_implement(proposal=p, actor=handler_a, report="新包装标准已发布。",
                                             cost_reduction=Decimal("86000"))

    def _campaign(self, users):
        """This year's ordinary customers, approved: two answered by link, one sent, one still planned."""
        agent, manager = users["agent"], users["manager"]
        for name, phone in (("黄磊", "13700001111"), ("吴静", "13700002222"), ("郑浩", "13700003333")):
            Customer.objects.create(name=name, phone=phone, email=f"{phone}@example.com", tier=Customer.Tier.ORDINARY)
        today = timezone.localdate()
        version = SurveyTemplate.objects.get(name=QUESTIONNAIRE).latest_version()
        campaign = campaign_plan(audience="ordinary", period_start=today.replace(month=1, day=1),
                                 period_end=today.replace(month=12, day=31), template_version=version,
                                 contact_method="email", actor=manager, name=f"{today.year} 年度普通客户满意度调查")
        campaign = campaign_approve(campaign=campaign, actor=manager)
        surveys = list(campaign.surveys.order_by("number"))
        now = timezone.now()
        # Sent by the desk through the survey's lifecycle (clock, outbox, timeline), answered through
        # the customer's page's own function with a link of its own.
        for survey in surveys[:3]:
            case_act(workflow=SURVEY_WORKFLOW, case=survey, actor=agent, action="send", data={"note": ""},
                     expected_version=survey.version)
        for survey, answers in zip(surveys[:2], DEMO_ANSWERS, strict=False):
            survey = Survey.objects.get(pk=survey.pk)
            token = survey_link_issue(survey=survey, now=now)
            survey.save(update_fields=["link_digest", "link_expires_at"])
            survey_answer_by_link(token=token, data=answers, now=now)

    def _history(self, users, *, complaints: int):
        """A year of complaints and proposals across Q01, D01 and the history's units, and the
        proposal targets of the half-years it spans."""
        User = get_user_model()
        units = [users["units"]["Q01"], users["units"]["D01"]]
        for code, name, kind, limit, handler in HISTORY_UNITS:
            unit, _ = ResponsibleUnit.objects.get_or_create(
                code=code, defaults={"name": name, "kind": kind, "monthly_complaint_limit": limit})
            user, made = User.objects.get_or_create(username=handler, defaults={"first_name": name})
            if made:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(Group.objects.get(name="handler"))
            unit.members.add(user)
            if unit.lead is None:
                unit.lead = user
                unit.save(update_fields=["lead"])
            units.append(unit)
        people = ([users["agent"].pk], [(u.pk, u.kind == ResponsibleUnit.Kind.PROVIDER) for u in units])
        made = generate_complaints(complaints=complaints, months=12, seed=HISTORY_SEED, people=people,
                                   description=HISTORY_COMPLAINT_NOTE, customers=max(20, complaints // 8),
                                   log=lambda _: None)
        proposals = generate_proposals(proposals=max(10, complaints // 10), months=12, seed=HISTORY_SEED,
                                       people=people, content=HISTORY_PROPOSAL_NOTE,
                                       customers=max(10, complaints // 40), log=lambda _: None)
        today = timezone.localdate()
        for year, half in {(d.year, 1 if d.month <= 6 else 2) for d in (today - timedelta(days=365), today)} | {
                (today.year - 1, 2), (today.year, 1 if today.month <= 6 else 2)}:
            ProposalTarget.objects.get_or_create(year=year, half=half, defaults={
                "target_count": max(10, complaints // 20), "target_adopted": max(3, complaints // 80),
                "plan": "热线回访时征集，季度客户座谈会，售后服务站意见箱。"})
        self.stdout.write(self.style.SUCCESS(
            f"A year of history: {made.complaints} complaints and repair requests, {proposals.proposals} proposals "
            f"in {len(units)} units."))

    def _survey_link(self, site: str):
        """A fresh link to the demo survey still waiting for its answer (each run replaces the last
        one, since only a digest of a link is kept); nothing once it has been answered."""
        survey = (Survey.objects.filter(campaign__name__endswith="年度普通客户满意度调查", state=SurveyState.SENT)
                  .order_by("number").first())
        if survey is None:
            return
        token = survey_link_issue(survey=survey, now=timezone.now())
        survey.save(update_fields=["link_digest", "link_expires_at"])
        self.stdout.write(self.style.SUCCESS("Answer a demo survey as the customer (%s, %s):" % (
            survey.customer.name, survey.number)))
        self.stdout.write(f"  {site}/s/{token}/")
