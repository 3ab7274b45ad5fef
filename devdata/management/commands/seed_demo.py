"""Demo data for a laptop: one user per role, two units, a few customers, complaints and
proposals in different states, all made through the services so timelines are real."""

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
from proposals import services as proposal_services
from proposals.models import Proposal

DEMO_PASSWORD = "closeloop"
DEMO_USERS = [
    # username, full name (Chinese), role, unit code
    ("agent", "王芳", "agent", None),
    ("handler_a", "李强", "handler", "Q01"),
    ("handler_b", "赵敏", "handler", "D01"),
    ("manager", "陈静", "manager", None),
    ("admin", "周涛", "admin", None),
]


class Command(BaseCommand):
    help = "Create the demo users (one per role), units, customers, complaints and proposals. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        users = self._users()
        if not Complaint.objects.exists():
            self._complaints(users)
        if not Proposal.objects.exists():
            self._proposals(users)
        self.stdout.write(self.style.SUCCESS("Demo users (password for all: %s):" % DEMO_PASSWORD))
        for username, name, role, unit in DEMO_USERS:
            where = f" of unit {unit}" if unit else ""
            self.stdout.write(f"  {username:<10} {role}{where} ({name})")

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
