"""Load a year's official schedule, e.g. the State Council's 2027 notice, from CSV:

    date,kind,name
    2027-01-01,holiday,元旦
    2027-02-20,workday,春节调休

`kind` is holiday (休) or workday (班, a make-up working day). All rows or none are loaded.

A day that stops or starts being a working day moves the open deadlines counted over it
(sla.calendar_changes): in the same transaction as the days, or with --background by a Celery
task after commit."""

import csv
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from casework.date_bounds import validate_calendar_date
from sla.calendar_changes import CalendarChange, calendar_recompute_enqueue, milestones_recompute_for_calendar
from sla.models import CalendarDay

KINDS = {"holiday": CalendarDay.Kind.HOLIDAY, "休": CalendarDay.Kind.HOLIDAY,
         "workday": CalendarDay.Kind.WORKDAY, "班": CalendarDay.Kind.WORKDAY}


def read_rows(path: Path) -> list[tuple[date, str, str]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise CommandError(f"{path}: neither UTF-8 nor GBK text")
    rows, errors = [], []
    for number, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        try:
            day = date.fromisoformat((row.get("date") or "").strip())
            kind = KINDS[(row.get("kind") or "").strip().lower()]
            validate_calendar_date(day)
        except (ValueError, KeyError, ValidationError):
            errors.append(f"line {number}: expected date YYYY-MM-DD and kind holiday/workday, got {row}")
            continue
        rows.append((day, kind, (row.get("name") or "").strip()[:100]))
    if errors:
        raise CommandError("nothing loaded:\n" + "\n".join(errors))
    if not rows:
        raise CommandError(f"{path}: no rows (expected a header line date,kind,name)")
    return rows


class Command(BaseCommand):
    help = "Load holidays and make-up working days from a CSV file (date,kind,name)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--background", action="store_true",
                            help="Move the open deadlines in a Celery task after loading, not before returning.")

    def handle(self, *args, path: Path, background: bool = False, **options):
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        rows = read_rows(path)
        change = CalendarChange()
        change.touch(*(day for day, _, _ in rows))
        # The days in one transaction; the deadlines after it, a committed chunk at a time, so the
        # recompute never holds clocks while it waits for a case (sla/next_deadline.py).
        with transaction.atomic():
            for day, kind, name in rows:
                CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind, "name": name})
        years = sorted({day.year for day, _, _ in rows})
        self.stdout.write(self.style.SUCCESS(f"loaded {len(rows)} days for {', '.join(map(str, years))}"))
        changed = change.changed_days()
        if not changed:
            return
        if background:
            calendar_recompute_enqueue(days=changed)
            self.stdout.write(f"{len(changed)} days changed; open deadlines are recomputed by a task")
        else:
            moved = milestones_recompute_for_calendar(days=changed)
            self.stdout.write(f"{len(changed)} days changed; {moved} open deadlines recomputed")
