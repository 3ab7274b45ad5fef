from django.utils import timezone

from casework.models import CaseEvent
from proposals.models import Proposal


def register(client, **overrides):
    data = {
        "customer_name": "李娜",
        "customer_phone": "13900001111",
        "customer_tier": "key",
        "channel": "written",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "category": "process_efficiency",
        "priority": "normal",
        "subject": "质检流程可合并两道工序",
        "content": "出厂检验与入库检验重复，建议合并，预计每年节约二十万元。",
    }
    data.update(overrides)
    if "received_at" in overrides:
        # A receipt the test dates on purpose, maybe weeks ago: the agent confirms it (issue 13).
        data["confirm_old_receipt"] = "on"
    return client.post("/proposals/new/", data)


def post_action(client, proposal, action, version=None, **fields):
    """Submit one lifecycle action the way the detail page's form does."""
    proposal.refresh_from_db()
    data = {f"{action}-version": proposal.version if version is None else version}
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    return client.post(f"/proposals/{proposal.number}/{action}/", data)


def timeline_actions(proposal):
    return list(CaseEvent.objects.filter(case_type__model="proposal", case_id=proposal.pk)
                .order_by("created_at", "pk").values_list("action", flat=True))


def reload(proposal) -> Proposal:
    return Proposal.objects.get(pk=proposal.pk)
