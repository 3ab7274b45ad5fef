"""Complaints walked through the real services under a controlled clock, for the issue-10 tests:
`clock.set("2026-09-07 10:00")` makes that moment "now" for the services, the SLA clocks and the
reports (django.utils.timezone.now is patched for the test)."""

from __future__ import annotations

from complaints import services
from complaints.models import Complaint

from ..factories import CustomerFactory
from .scene import at


class Clock:
    def __init__(self, monkeypatch, start: str):
        from django.utils import timezone

        self.now = at(start)
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, text: str):
        self.now = at(text)
        return self.now


class Desk:
    """The people who move a complaint: the agent, the unit's handler, the manager."""

    def __init__(self, clock: Clock, *, agent, handler, manager):
        self.clock, self.agent, self.handler, self.manager = clock, agent, handler, manager

    def register(self, when: str, *, channel="hotline", category="service_process", kind="complaint") -> Complaint:
        self.clock.set(when)
        return services.complaint_register(actor=self.agent, customer=CustomerFactory(), channel=channel,
                                           received_at=self.clock.now, category=category, kind=kind,
                                           subject="门店服务态度差", description="客户反映接待人员态度恶劣。")

    def contact_and_dispatch(self, complaint: Complaint, when: str, unit) -> Complaint:
        self.clock.set(when)
        complaint = services.complaint_contact(complaint=self._fresh(complaint), actor=self.agent, note="已联系客户")
        return services.complaint_dispatch(complaint=complaint, actor=self.agent, unit=unit)

    def work(self, complaint: Complaint, proposed: str, implemented: str) -> Complaint:
        """The unit proposes, the manager approves, the customer agrees, the unit implements. A case
        back with the desk (reopened) is dispatched to the same unit first; a repair request goes
        straight to the unit's result."""
        self.clock.set(proposed)
        complaint = self._fresh(complaint)
        if complaint.state == "contacted":
            complaint = services.complaint_dispatch(complaint=complaint, actor=self.agent,
                                                    unit=complaint.responsible_unit)
        if complaint.kind == "repair_request":
            self.clock.set(implemented)
            return services.complaint_implement(complaint=complaint, actor=self.handler, report="已修复")
        complaint = services.complaint_propose(complaint=complaint, actor=self.handler,
                                               root_cause="接待培训不足", solution="道歉并培训",
                                               resolution_type="explanation")
        complaint = services.complaint_approve(complaint=complaint, actor=self.manager)
        complaint = services.complaint_customer_agrees(complaint=complaint, actor=self.agent)
        self.clock.set(implemented)
        return services.complaint_implement(complaint=complaint, actor=self.handler, report="已道歉并完成培训")

    def resolve(self, when: str, unit, *, contacted: str, implemented: str, **kwargs) -> Complaint:
        complaint = self.register(when, **kwargs)
        complaint = self.contact_and_dispatch(complaint, contacted, unit)
        return self.work(complaint, contacted, implemented)

    def call(self, complaint: Complaint, when: str, outcome: str, *, false_reply=False) -> Complaint:
        self.clock.set(when)
        return services.complaint_record_callback(complaint=self._fresh(complaint), actor=self.agent,
                                                  outcome=outcome, false_reply=false_reply)

    @staticmethod
    def _fresh(complaint: Complaint) -> Complaint:
        return Complaint.objects.get(pk=complaint.pk)
