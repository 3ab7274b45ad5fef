from django.core.management.base import BaseCommand

from sla.models import Escalation
from sla.sweep import sla_sweep


class Command(BaseCommand):
    help = "Run one SLA sweep now and print how many escalations it raised per level."

    def handle(self, *args, **options):
        result = sla_sweep()
        labels = dict(Escalation.Level.choices)
        self.stdout.write(f"sweep {result.sweep_id}: {result.total} escalations raised")
        for level in sorted(labels):
            self.stdout.write(f"  level {level} ({labels[level]}): {result.raised.get(level, 0)}")
        self.stdout.write(f"  notification batches re-sent: {result.redelivered}")
