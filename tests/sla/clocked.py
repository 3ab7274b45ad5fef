"""Cases registered through the real services at a chosen time, and their clocks."""

from datetime import datetime
from zoneinfo import ZoneInfo

from complaints import services
from sla.models import Milestone

from ..factories import CustomerFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def register(agent, clock, received: str, **extra):
    """A complaint received at `received`, registered with the services' clock (fixture `clock`) then."""
    clock(received)
    fields = dict(channel="hotline", category="service_process", subject="s", description="d")
    fields.update(extra)
    return services.complaint_register(actor=agent, customer=CustomerFactory(), received_at=at(received), **fields)


def clocks(complaint) -> dict[str, Milestone]:
    return {m.kind: m for m in Milestone.objects.filter(case_id=complaint.pk, case_type__model="complaint")}
