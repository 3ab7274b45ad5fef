import time

from django.core.management.base import BaseCommand, CommandError

from devdata.synthetic_complaints import generate
from devdata.synthetic_proposals import generate_proposals
from devdata.synthetic_surveys import generate_surveys


class Command(BaseCommand):
    help = ("Bulk synthetic data for scale tests: complaints and proposals with milestones and timelines, "
            "satisfaction surveys with their answers.")

    def add_arguments(self, parser):
        parser.add_argument("--complaints", type=int, default=0)
        parser.add_argument("--proposals", type=int, default=0)
        parser.add_argument("--surveys", type=int, default=0)
        parser.add_argument("--months", type=int, default=12)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, complaints, proposals, months, seed, surveys=0, **options):
        if complaints < 0 or proposals < 0 or surveys < 0 or not 1 <= months <= 120:
            raise CommandError("--complaints, --proposals and --surveys must be ≥ 0 and --months between 1 and 120")
        if not complaints and not proposals and not surveys:
            raise CommandError("nothing to generate: give --complaints N, --proposals M and/or --surveys S")
        if complaints:
            started = time.monotonic()
            counts = generate(complaints=complaints, months=months, seed=seed, log=self.stdout.write)
            self.stdout.write(self.style.SUCCESS(
                f"{counts.complaints} complaints, {counts.milestones} milestones, {counts.events} timeline events, "
                f"{counts.callbacks} callbacks, {counts.customers} customers in {time.monotonic() - started:.1f} s"))
            self.stdout.write("by state: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.by_state.items())))
        if proposals:
            started = time.monotonic()
            made = generate_proposals(proposals=proposals, months=months, seed=seed, log=self.stdout.write)
            self.stdout.write(self.style.SUCCESS(
                f"{made.proposals} proposals, {made.milestones} milestones, {made.events} timeline events "
                f"in {time.monotonic() - started:.1f} s"))
            self.stdout.write("by state: " + ", ".join(f"{k} {v}" for k, v in sorted(made.by_state.items())))
        if surveys:
            started = time.monotonic()
            made = generate_surveys(surveys=surveys, months=months, seed=seed, log=self.stdout.write)
            self.stdout.write(self.style.SUCCESS(
                f"{made.surveys} surveys with {made.answers} answers in {made.campaigns} campaigns "
                f"in {time.monotonic() - started:.1f} s"))
            self.stdout.write("by state: " + ", ".join(f"{k} {v}" for k, v in sorted(made.by_state.items())))
