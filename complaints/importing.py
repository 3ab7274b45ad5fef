"""Importing complaints exported by another hotline system: each row is registered like an
intake (number, severity, SLA clocks from the time received), all rows or none."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from casework.date_bounds import validate_received_at
from casework.importing import TIER_NAMES, Importer, LocalDateTimeField, LookupChoiceField
from casework.models import Customer
from casework.phones import PhoneFormField
from casework.services import customers_find_or_create_many

from . import policy, services
from .choices import Category, Channel, Kind, Priority

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


class ComplaintImporter(Importer):
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
    }
    row_form = ComplaintRowForm

    def write(self, *, rows, actor) -> int:
        if not policy.can_import(actor):
            raise PermissionDenied
        customers = customers_find_or_create_many([
            {"name": r["customer_name"], "phone": r["customer_phone"], "organisation": r["customer_organisation"],
             "tier": r["customer_tier"]} for r in rows])
        intakes = [
            {"customer": customers[row["customer_phone"]], "channel": row["channel"],
             "received_at": row["received_at"], "category": row["category"], "subject": row["subject"],
             "description": row["description"], "customer_demand": row["customer_demand"],
             "target": row["target"], "estimated_loss": row["estimated_loss"],
             "priority": row["priority"] or Priority.NORMAL, "kind": row["kind"] or Kind.COMPLAINT}
            for row in rows
        ]
        return len(services.complaints_record_intake_many(actor=actor, intakes=intakes, imported=True))
