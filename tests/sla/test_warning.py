"""Issue 10: the 80 % warning of a working-day deadline is 80 % of the working time allowed, not of
the wall-clock time, so an urgent case due after a holiday is not warned in the holiday's night.

Working time is every hour of a working day (non-working days count nothing), from when the clock
counts (its start, or 00:00 of day 0 after the 16:30 cut-off or on a non-working day) to the due
moment. The 24-hour (clock-hour) clock keeps the wall-clock 80 %: 19.2 hours.
"""

from datetime import date, timedelta

from django.utils import timezone

from complaints import services
from devdata.synthetic import Clocks
from sla.calendar import PrecomputedCalendar, WorkingCalendar
from sla.deadlines import add_working_days, day_zero, warning_time, working_warning_time
from sla.models import SlaPolicy
from sla.services import policy_reapply

from ..factories import CustomerFactory
from .clocked import at, clocks, register

URGENT = {"priority": "urgent"}


def test_an_urgent_case_due_after_national_day_is_warned_on_a_working_day(agent, clock):
    # Wed 09-30 10:00, day 0; 1 working day: Thu 10-08 16:30, after the holiday of 10-01 … 10-07.
    # Working time: 14 h on 09-30 and 16.5 h on 10-08 = 30.5 h; 80 % = 24.4 h: 14 h on 09-30,
    # then 10.4 h into 10-08. The wall clock's 80 % of 198.5 h was Wed 10-07 00:48, in the holiday.
    resolution = clocks(register(agent, clock, "2026-09-30 10:00", **URGENT))["resolution"]
    assert resolution.due_at == at("2026-10-08 16:30")
    assert resolution.warn_at == at("2026-10-08 10:24")
    assert WorkingCalendar().is_working_day(timezone.localtime(resolution.warn_at).date())


def test_the_24_hour_contact_still_warns_at_19_point_2_hours(agent, clock):
    first_contact = clocks(register(agent, clock, "2026-09-30 10:00", **URGENT))["first_contact"]
    assert first_contact.due_at == at("2026-10-01 10:00")
    assert first_contact.warn_at == at("2026-09-30 10:00") + timedelta(hours=19.2) == at("2026-10-01 05:12")


def test_after_the_cut_off_the_working_time_counts_from_day_0(agent, clock):
    # Wed 09-30 17:00 is after 16:30: day 0 is Thu 10-08, due Fri 10-09 16:30. Working time from
    # 10-08 00:00: 24 h + 16.5 h = 40.5 h; 80 % = 32.4 h → Fri 10-09 08:24.
    resolution = clocks(register(agent, clock, "2026-09-30 17:00", **URGENT))["resolution"]
    assert (resolution.due_at, resolution.warn_at) == (at("2026-10-09 16:30"), at("2026-10-09 08:24"))


def test_without_a_day_off_in_between_it_is_the_wall_clock_80_percent(agent, clock, unit_a):
    """docs/sla.md's timeline: dispatched Mon 11-23 11:00, the unit's solution is due Thu 16:30 and
    warned Thu 01:00 (80 % of 77.5 h)."""
    complaint = register(agent, clock, "2026-11-23 10:00")
    clock("2026-11-23 11:00")
    complaint = services.complaint_contact(complaint=complaint, actor=agent, note="已联系")
    services.complaint_dispatch(complaint=complaint, actor=agent, unit=unit_a)
    solution = clocks(complaint)["unit_solution"]
    assert (solution.due_at, solution.warn_at) == (at("2026-11-26 16:30"), at("2026-11-26 01:00"))


def test_bulk_intake_computes_the_same_warning(agent, clock):
    clock("2026-11-26 09:00")
    intake = dict(channel="hotline", category="service_process", subject="s", description="d",
                  received_at=at("2026-09-30 10:00"), priority="urgent")
    [complaint] = services.complaints_record_intake_many(actor=agent,
                                                         intakes=[dict(intake, customer=CustomerFactory())])
    assert clocks(complaint)["resolution"].warn_at == at("2026-10-08 10:24")


def test_a_policy_change_reapplies_the_working_time_rule(agent, clock):
    complaint = register(agent, clock, "2026-09-30 10:00", **URGENT)
    policy = SlaPolicy.objects.get(case_kind="complaint", milestone="resolution", priority="urgent")
    policy.target = 2
    policy.save()
    policy_reapply(policy=policy)
    # 14 h on 09-30 + 24 h on 10-08 + 16.5 h on 10-09 = 54.5 h; 80 % = 43.6 h → 5.6 h into 10-09.
    resolution = clocks(complaint)["resolution"]
    assert (resolution.due_at, resolution.warn_at) == (at("2026-10-09 16:30"), at("2026-10-09 05:36"))


def test_the_generators_fast_calendar_gives_the_same_warnings(db):
    """devdata's Clocks compute warn_at through deadline_compute on a PrecomputedCalendar."""
    generated = Clocks(date(2026, 9, 1), date(2026, 12, 31))
    start = at("2026-09-25 09:00")
    while start < at("2026-10-12 00:00"):
        _, due, warn, _ = generated.deadlines(case_kind="complaint", milestone="resolution", priority="urgent",
                                              started_at=start)
        assert due == add_working_days(start, 1, WorkingCalendar())
        assert warn == working_warning_time(start, due, WorkingCalendar())
        start += timedelta(hours=7, minutes=13)


def test_the_warning_always_falls_on_a_working_day_before_the_deadline(db):
    """Starts every 97 minutes around the Spring Festival and National Day, targets 0 to 10: the
    warning is before the deadline, on a working day, the same on the generators' fast calendar,
    and the wall clock's 80 % when no day in between is off and the clock counts from its start."""
    fast, plain = PrecomputedCalendar(date(2026, 1, 1), date(2026, 12, 31)), WorkingCalendar()
    for first, last in (("2026-02-10 00:00", "2026-02-26 00:00"), ("2026-09-26 00:00", "2026-10-12 00:00")):
        start = at(first)
        while start < at(last):
            for target in (0, 1, 3, 10):
                due = add_working_days(start, target, fast)
                warn = working_warning_time(start, due, fast)
                assert start <= warn < due, (start, target)
                assert plain.is_working_day(timezone.localtime(warn).date()), (start, target, warn)
                assert warn == working_warning_time(start, due, plain)
                days = [start.date() + timedelta(days=n) for n in range((due.date() - start.date()).days + 1)]
                if day_zero(start, plain) == start.date() and all(plain.is_working_day(d) for d in days):
                    assert warn == warning_time(start, due), (start, target)
            start += timedelta(minutes=97)


def test_after_an_upgrade_the_command_puts_old_warnings_on_the_working_time_rule(agent, clock, capsys):
    """Clocks started under the wall-clock 80 % keep their old warning until recomputed:
    `manage.py sla_reapply_policies` recomputes every running clock from its policy."""
    from django.core.management import call_command

    from sla.models import Milestone

    complaint = register(agent, clock, "2026-09-30 10:00", **URGENT)
    resolution = Milestone.objects.get(case_id=complaint.pk, kind="resolution")
    right = resolution.warn_at
    assert right == at("2026-10-08 10:24")
    Milestone.objects.filter(pk=resolution.pk).update(warn_at=at("2026-10-07 00:48"))  # the old rule's
    call_command("sla_reapply_policies")
    resolution.refresh_from_db()
    assert resolution.warn_at == right and "clocks recomputed" in capsys.readouterr().out
