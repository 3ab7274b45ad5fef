"""Importing proposals exported by another system, all rows or none, the way complaints are
imported (complaints/importing.py): each row is registered like a proposal received then; optional
columns say how far it got — state, unit, when the customer was thanked, when it was routed, the
decision and when the customer was told, when it was closed — so closed history arrives closed with
its feedback clock met or breached and none left for the sweep. docs/domain.md lists the columns."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from casework.date_bounds import validate_past_moment, validate_received_at
from casework.importing import TIER_NAMES, CaseImporter, LocalDateTimeField, LookupChoiceField
from casework.models import Customer
from casework.phones import PhoneFormField

from . import policy, services
from .choices import Category, Channel, Decision, HandlingSatisfaction, Priority, State

CHANNEL_NAMES = {"书面": "written", "书面提案": "written", "400热线": "hotline", "热线": "hotline", "邮件": "email",
                 "电子邮件": "email", "网站": "web_form", "微信": "wechat", "来访": "on_site", "现场": "on_site",
                 "满意度调查": "survey", "调查": "survey"}
CATEGORY_NAMES = {"产品标准化": "product_standard", "物流销售": "logistics_sales", "流程效率": "process_efficiency",
                  "新材料": "new_materials", "售后服务": "after_sales", "其他": "other", "其它": "other"}
PRIORITY_NAMES = {"普通": "normal", "一般": "normal", "紧急": "urgent", "特殊": "urgent"}
STATE_NAMES = {"已提交": "submitted", "新建": "submitted", "已致谢": "acknowledged", "已受理": "acknowledged",
               "评估中": "under_review", "调研中": "under_review", "已关闭": "closed", "已结案": "closed",
               "结案": "closed", "已归档": "archived", "归档": "archived"}
DECISION_NAMES = {"采纳": "adopted", "已采纳": "adopted", "不采纳": "not_adopted", "未采纳": "not_adopted"}
SATISFACTION_NAMES = {"非常满意": "very_satisfied", "满意": "satisfied", "基本满意": "neutral", "一般": "neutral",
                      "不满意": "dissatisfied"}


def _time(label):
    return LocalDateTimeField(label=label, required=False, validators=[validate_past_moment])


class ProposalRowForm(forms.Form):
    received_at = LocalDateTimeField(label=_("received at"), validators=[validate_received_at])
    customer_name = forms.CharField(label=_("customer"), max_length=100)
    customer_phone = PhoneFormField(label=_("phone"))
    customer_organisation = forms.CharField(label=_("organisation"), max_length=200, required=False)
    customer_tier = LookupChoiceField(label=_("tier"), choices=Customer.Tier.choices, required=False,
                                      aliases=TIER_NAMES)
    channel = LookupChoiceField(label=_("channel"), choices=Channel.choices, aliases=CHANNEL_NAMES)
    category = LookupChoiceField(label=_("category"), choices=Category.choices, aliases=CATEGORY_NAMES)
    priority = LookupChoiceField(label=_("priority"), choices=Priority.choices, required=False,
                                 aliases=PRIORITY_NAMES)
    subject = forms.CharField(label=_("subject"), max_length=200)
    content = forms.CharField(label=_("proposal"), max_length=5000)
    expected_benefit = forms.CharField(label=_("expected benefit"), max_length=2000, required=False)
    # How far it got in the other system (all optional: without them a row is a new submitted proposal).
    state = LookupChoiceField(label=_("state"), choices=State.choices, required=False, aliases=STATE_NAMES)
    unit = forms.CharField(label=_("unit code"), max_length=20, required=False)
    acknowledged_at = _time(_("acknowledged at"))
    routed_at = _time(_("routed at"))
    decision = LookupChoiceField(label=_("decision"), choices=Decision.choices, required=False,
                                 aliases=DECISION_NAMES)
    handling_satisfaction = LookupChoiceField(label=_("satisfaction with the handling"),
                                              choices=HandlingSatisfaction.choices, required=False,
                                              aliases=SATISFACTION_NAMES)
    feedback_at = _time(_("customer told at"))
    closed_at = _time(_("closed at"))


# The states a row may bring, with the columns each needs and those it may have: before the unit's
# evaluation (later open states need an evaluation and a plan the file does not hold), and the two ends.
IMPORTABLE_STATES = {
    State.SUBMITTED: ((), ()),
    State.ACKNOWLEDGED: (("acknowledged_at",), ()),
    State.UNDER_REVIEW: (("acknowledged_at", "routed_at", "unit"), ()),
    State.CLOSED: (("decision", "feedback_at", "closed_at"),
                   ("acknowledged_at", "routed_at", "unit", "handling_satisfaction")),
    State.ARCHIVED: (("closed_at",), ("acknowledged_at",)),
}
AFTER = {"routed_at": "acknowledged_at", "feedback_at": "routed_at"}
HISTORY_FIELDS = ("state", "unit", "acknowledged_at", "routed_at", "decision", "handling_satisfaction",
                  "feedback_at", "closed_at")


class ProposalImporter(CaseImporter):
    kind = "proposals"
    label = _("Proposals")
    columns = {
        "received_at": ["受理时间", "提交时间", "提案时间"],
        "customer_name": ["客户姓名", "客户", "姓名", "提案人"],
        "customer_phone": ["联系电话", "电话", "手机"],
        "customer_organisation": ["客户单位", "单位", "公司"],
        "customer_tier": ["客户类别", "客户等级"],
        "channel": ["渠道", "提案渠道", "来源"],
        "category": ["类别", "提案类别"],
        "priority": ["优先级", "紧急程度"],
        "subject": ["主题", "标题", "提案名称"],
        "content": ["提案内容", "内容", "描述"],
        "expected_benefit": ["预期效益", "预期收益"],
        "state": ["状态", "处理状态"],
        "unit": ["责任单位", "责任单位编码", "单位编码", "评估单位"],
        "acknowledged_at": ["致谢时间", "受理确认时间"],
        "routed_at": ["转交时间", "分派时间"],
        "decision": ["评估结论", "是否采纳"],
        "handling_satisfaction": ["处理满意度", "满意度"],
        "feedback_at": ["反馈时间", "答复客户时间"],
        "closed_at": ["关闭时间", "结案时间", "归档时间"],
    }
    row_form = ProposalRowForm
    states = State
    importable_states = IMPORTABLE_STATES
    history_fields = HISTORY_FIELDS
    after = AFTER
    closed_state = State.CLOSED
    closing_fields = ("decision", "feedback_at", "closed_at")
    default_state = State.SUBMITTED
    together = {"routed_at": "unit"}

    def write(self, *, rows, actor) -> int:
        if not policy.can_import(actor):
            raise PermissionDenied
        customers = self.customers_of(rows)
        intakes = [
            {"customer": customers[row["customer_phone"]], "channel": row["channel"],
             "received_at": row["received_at"], "category": row["category"], "subject": row["subject"],
             "content": row["content"], "expected_benefit": row["expected_benefit"],
             "priority": row["priority"] or Priority.NORMAL}
            for row in rows
        ]
        histories = [services.ProposalHistory(**self.history_of(row)) for row in rows]
        return len(services.proposals_import_many(actor=actor, intakes=intakes, histories=histories))
