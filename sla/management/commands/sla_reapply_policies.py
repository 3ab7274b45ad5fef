"""Recompute every running clock from its policy: after an upgrade that changed how deadlines or
warnings are computed (e.g. the warning at 80 % of the working time), so that clocks started under
the old rule follow the new one. Each policy's clocks are done in chunks (sla.services.policy_reapply)."""

from django.core.management.base import BaseCommand

from sla.models import SlaPolicy
from sla.services import policy_reapply


class Command(BaseCommand):
    help = "Recompute the deadlines and warnings of every running clock from its SLA policy."

    def handle(self, *args, **options):
        total = 0
        for policy in SlaPolicy.objects.order_by("pk"):
            changed = policy_reapply(policy=policy)
            total += changed
            self.stdout.write(f"{policy}: {changed} clocks recomputed")
        self.stdout.write(f"{total} clocks recomputed")
