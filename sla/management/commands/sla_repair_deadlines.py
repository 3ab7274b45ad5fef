"""Check, and set right, each complaint's and proposal's deadline columns (`next_due_at`,
`due_soon_at`; sla.next_deadline) against its running clocks. Every code path keeps them; this is
for what bypasses the code: a database restored from a dump taken mid-change, clock rows edited by
hand, or a bug. `--check` only reports, and exits with status 1 when any case disagrees (for a
monitoring job)."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError

from sla.next_deadline import cases_next_due_repair, keeps_next_deadline

SHOWN = 20


class Command(BaseCommand):
    help = "Check and repair the cases' nearest-deadline columns against their running SLA clocks."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only report the cases that disagree; exit 1 if any.")

    def handle(self, *args, check=False, **options):
        total = 0
        # Every kind that keeps the columns (complaints, proposals), without sla importing them.
        for model in sorted((m for m in apps.get_models() if keeps_next_deadline(m)), key=lambda m: m.__name__):
            found = cases_next_due_repair(case_type=ContentType.objects.get_for_model(model), dry_run=check)
            total += len(found)
            shown_cases = model._default_manager.filter(pk__in=found[:SHOWN]).order_by("pk")
            numbers = list(shown_cases.values_list("number", flat=True))
            shown = ", ".join(numbers) + (" …" if len(found) > SHOWN else "")
            verb = "disagree" if check else "repaired"
            self.stdout.write(f"{model.__name__}: {len(found)} {verb}" + (f" ({shown})" if found else ""))
        if check and total:
            raise CommandError(f"{total} cases' deadline columns disagree with their clocks; "
                               "run without --check to repair.")
