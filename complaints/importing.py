"""Importing complaints exported by another hotline system, all rows or none. Each row is
registered like an intake (number, severity); optional columns say how far it got — its state,
unit, the times of contact, dispatch, the unit's reply, resolution, callback and closure — so a
year of closed history arrives closed, with its clocks met or breached as they were and none left
for the sweep (complaints.services.complaints_import_many). docs/domain.md lists the columns."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from casework.date_bounds import validate_past_moment, validate_received_at
from casework.importing import TIER_NAMES, CaseImporter, LocalDateTimeField, LookupChoiceField
from casework.models import Customer
from casework.phones import PhoneFormField
from satisfaction.models import Callback

from . import policy, services
from .choices import Category, Channel, ClosureType, Kind, Priority, State

# The names other hotline systems write in their exports.
CHANNEL_NAMES = {"400热线": "hotline", "400": "hotline", "热线": "hotline", "电话": "phone", "网站": "web_form",
                 "网站表单": "web_form", "邮件": "email", "电子邮件": "email", "微信": "wechat", "网络": "online_forum",
                 "网络抱怨": "online_forum", "论坛": "online_forum", "微博": "online_forum", "来访": "on_site",
                 "现场": "on_site", "信函": "letter", "来信": "letter", "监管转办": "regulator", "12315": "regulator"}
CATEGORY_NAMES = {"产品质量": "product_quality", "质量": "product_quality", "技术能力": "technical",
                  "技术": "technical", "服务过程": "service_process", "服务流程": "service_process",
                  "服务态度": "service_attitude", "合同": "contract", "备件": "parts_supply", "配件": "parts_supply",
                  "价格": "price", "安全": "safety", "其他": "other", "其它": "other"}
KIND_NAMES = {"投诉": "complaint", "抱怨": "complaint", "报修": "repair_request"}
STATE_NAMES = {"新建": "registered", "待联系": "registered", "已受理": "registered", "已联系": "contacted",
               "待派单": "contacted", "已派单": "assigned", "处理中": "assigned", "已关闭": "closed", "关闭": "closed",
               "已结案": "closed", "结案": "closed", "已办结": "closed", "办结": "closed"}
CLOSURE_NAMES = {"满意": "satisfied", "满意关闭": "satisfied", "无效": "invalid", "无效投诉": "invalid",
                 "强制关闭": "forced", "强制结案": "forced", "联系不上": "unreachable", "无法联系": "unreachable"}
OUTCOME_NAMES = {"非常满意": "very_satisfied", "满意": "satisfied", "基本满意": "neutral", "一般": "neutral",
                 "不满意": "dissatisfied", "未接通": "unreachable", "联系不上": "unreachable",
                 "无法联系": "unreachable"}
PRIORITY_NAMES = {"紧急": "urgent", "特急": "urgent", "高": "high", "普通": "normal", "一般": "normal",
                  "中": "normal", "低": "low"}


class ComplaintRowForm(forms.Form):
    received_at = LocalDateTimeField(label=_("received at"), validators=[validate_received_at])
    customer_name = forms.CharField(label=_("customer"), max_length=100)
    customer_phone = PhoneFormField(label=_("phone"))
    customer_organisation = forms.CharField(label=_("organisation"), max_length=200, required=False)
    customer_tier = LookupChoiceField(label=_("tier"), choices=Customer.Tier.choices, required=False,
                                     aliases=TIER_NAMES)
    channel = LookupChoiceField(label=_("channel"), choices=Channel.choices, aliases=CHANNEL_NAMES)
    category = LookupChoiceField(label=_("category"), choices=Category.choices, aliases=CATEGORY_NAMES)
    kind = LookupChoiceField(label=_("kind"), choices=Kind.choices, required=False, aliases=KIND_NAMES)
    priority = LookupChoiceField(label=_("priority"), choices=Priority.choices, required=False,
                                  aliases=PRIORITY_NAMES)
    subject = forms.CharField(label=_("subject"), max_length=200)
    description = forms.CharField(label=_("description"), max_length=5000)
    customer_demand = forms.CharField(label=_("customer demand"), max_length=2000, required=False)
    target = forms.CharField(label=_("complained-about target"), max_length=200, required=False)
    estimated_loss = forms.DecimalField(label=_("estimated direct loss (CNY)"), required=False, min_value=0,
                                        max_digits=14, decimal_places=2)
    # How far it got in the other system (all optional: without them a row is a new open complaint).
    state = LookupChoiceField(label=_("state"), choices=State.choices, required=False, aliases=STATE_NAMES)
    unit = forms.CharField(label=_("unit code"), max_length=20, required=False)
    contacted_at = LocalDateTimeField(label=_("first contacted at"), required=False, validators=[validate_past_moment])
    dispatched_at = LocalDateTimeField(label=_("dispatched at"), required=False, validators=[validate_past_moment])
    replied_at = LocalDateTimeField(label=_("unit replied at"), required=False, validators=[validate_past_moment])
    resolved_at = LocalDateTimeField(label=_("resolved at"), required=False, validators=[validate_past_moment])
    callback_outcome = LookupChoiceField(label=_("callback outcome"), choices=Callback.Outcome.choices,
                                         required=False, aliases=OUTCOME_NAMES)
    callback_at = LocalDateTimeField(label=_("called back at"), required=False, validators=[validate_past_moment])
    closure_type = LookupChoiceField(label=_("closure type"), choices=ClosureType.choices, required=False,
                                     aliases=CLOSURE_NAMES)
    closed_at = LocalDateTimeField(label=_("closed at"), required=False, validators=[validate_past_moment])


# The states a row may bring, with the columns each needs and those it may have: the open ones before
# the unit's solution (later open states would need a proposal and an approval the file does not
# hold; import such a case as assigned), and closed.
IMPORTABLE_STATES = {
    State.REGISTERED: ((), ()),
    State.CONTACTED: (("contacted_at",), ()),
    State.ASSIGNED: (("contacted_at", "dispatched_at", "unit"), ("replied_at",)),
    State.CLOSED: (("closure_type", "closed_at"), ("contacted_at", "dispatched_at", "unit", "replied_at",
                                                    "resolved_at", "callback_outcome", "callback_at")),
}
# The lifecycle's order: a step given cannot come before the one named here.
AFTER = {"dispatched_at": "contacted_at", "replied_at": "dispatched_at", "resolved_at": "dispatched_at",
         "callback_at": "resolved_at"}
HISTORY_FIELDS = ("state", "unit", "contacted_at", "dispatched_at", "replied_at", "resolved_at", "callback_outcome",
                  "callback_at", "closure_type", "closed_at")


class ComplaintImporter(CaseImporter):
    kind = "complaints"
    label = _("Complaints")
    columns = {
        "received_at": ["受理时间", "投诉时间", "来电时间"],
        "customer_name": ["客户姓名", "客户", "姓名"],
        "customer_phone": ["联系电话", "电话", "手机"],
        "customer_organisation": ["客户单位", "单位", "公司"],
        "customer_tier": ["客户类别", "客户等级"],
        "channel": ["渠道", "受理渠道", "来源"],
        "category": ["类别", "投诉类别"],
        "kind": ["类型"],
        "priority": ["优先级", "紧急程度"],
        "subject": ["主题", "标题"],
        "description": ["投诉内容", "内容", "描述"],
        "customer_demand": ["客户诉求", "投诉要求"],
        "target": ["被投诉对象", "投诉对象"],
        "estimated_loss": ["直接损失", "预估损失"],
        "state": ["状态", "处理状态", "工单状态"],
        "unit": ["责任单位", "责任单位编码", "单位编码", "处理单位"],
        "contacted_at": ["首次联系时间", "联系时间"],
        "dispatched_at": ["派单时间", "派发时间"],
        "replied_at": ["单位答复时间", "答复时间"],
        "resolved_at": ["处理完成时间", "实施完成时间", "解决时间"],
        "callback_outcome": ["回访结果", "回访满意度"],
        "callback_at": ["回访时间"],
        "closure_type": ["关闭类型", "结案类型", "关闭方式"],
        "closed_at": ["关闭时间", "结案时间", "办结时间"],
    }
    row_form = ComplaintRowForm

    states = State
    importable_states = IMPORTABLE_STATES
    history_fields = HISTORY_FIELDS
    after = AFTER
    closed_state = State.CLOSED
    closing_fields = ("closed_at", "closure_type")
    default_state = State.REGISTERED
    together = {"dispatched_at": "unit"}

    def write(self, *, rows, actor) -> int:
        if not policy.can_import(actor):
            raise PermissionDenied
        customers = self.customers_of(rows)
        intakes = [
            {"customer": customers[row["customer_phone"]], "channel": row["channel"],
             "received_at": row["received_at"], "category": row["category"], "subject": row["subject"],
             "description": row["description"], "customer_demand": row["customer_demand"],
             "target": row["target"], "estimated_loss": row["estimated_loss"],
             "priority": row["priority"] or Priority.NORMAL, "kind": row["kind"] or Kind.COMPLAINT}
            for row in rows
        ]
        histories = [services.ComplaintHistory(**self.history_of(row)) for row in rows]
        return len(services.complaints_import_many(actor=actor, intakes=intakes, histories=histories))
