"""Importing history from another hotline system (issue 13): a closed complaint arrives closed, with
its clocks met or breached as they were and none left for the sweep; an open one in its state with
its clocks running from receipt; units are checked, and a known phone under another name is said."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from casework.models import CaseEvent, Customer
from complaints.models import Complaint
from satisfaction.models import Callback
from sla.calendar import WorkingCalendar
from sla.models import Escalation, Milestone, SlaPolicy
from sla.services import deadline_compute
from sla.sweep import sla_sweep

HEADER = ("受理时间,客户姓名,联系电话,渠道,类别,主题,投诉内容,状态,责任单位,首次联系时间,派单时间,单位答复时间,"
          "处理完成时间,回访结果,回访时间,关闭类型,关闭时间\n")


def ago(**kwargs):
    """A moment in whole minutes, as the file writes it."""
    return (timezone.now() - timedelta(**kwargs)).replace(second=0, microsecond=0)


def t(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def row(received, *, state="", unit="", contacted=None, dispatched=None, replied=None, resolved=None, outcome="",
        called=None, closure="", closed=None, name="张伟", phone="13812345678", category="服务流程"):
    times = [t(x) if x else "" for x in (contacted, dispatched, replied, resolved)]
    return ",".join([t(received), name, phone, "400热线", category, "维修等待时间长", "等待四小时", state, unit, *times,
                     outcome, t(called) if called else "", closure, t(closed) if closed else ""]) + "\n"


def preview(client, text, name="历史.csv"):
    return client.post("/imports/", {"kind": "complaints", "file": SimpleUploadedFile(name, text.encode("gbk"))})


def confirm(client, response):
    return client.post("/imports/confirm/", {"token": response.context["import_token"]}, follow=True)


def imported(client, text):
    response = preview(client, text)
    assert response.status_code == 200, response.context["preview"].errors
    assert "Nothing was imported" not in confirm(client, response).content.decode()


def clocks(complaint):
    return {m.kind: m for m in Milestone.objects.filter(case_id=complaint.pk, case_type__model="complaint")}


def test_closed_history_arrives_closed_with_clocks_as_they_were_and_the_sweep_leaves_it(manager_client, unit_a):
    received = ago(days=200)
    imported(manager_client, HEADER
             + row(received, state="已结案", unit="QA", contacted=received + timedelta(hours=2),
                   dispatched=received + timedelta(hours=3), replied=received + timedelta(hours=20),
                   resolved=received + timedelta(days=2), outcome="满意", called=received + timedelta(days=3),
                   closure="满意", closed=received + timedelta(days=3))
             # contacted three days late, never dispatched, closed as unreachable a month later
             + row(received, contacted=received + timedelta(days=3), closure="联系不上",
                   closed=received + timedelta(days=30), phone="13987654321", name="刘洋"))
    on_time, late = Complaint.objects.order_by("customer__phone")
    assert (on_time.state, on_time.closure_type, on_time.responsible_unit, on_time.counted_unit) == (
        "closed", "satisfied", unit_a, unit_a)
    assert on_time.closed_at == received + timedelta(days=3)
    assert on_time.first_contacted_at == received + timedelta(hours=2)
    on_time_clocks = clocks(on_time)
    assert {k: m.status for k, m in on_time_clocks.items()} == {
        "first_contact": "met", "unit_solution": "met", "resolution": "met", "callback": "met",
        "long_open": "met", "progress_reply": "cancelled"}  # closed before a progress reply was due
    assert on_time_clocks["unit_solution"].met_at == received + timedelta(hours=20)
    assert Callback.objects.get(complaint=on_time).outcome == "satisfied"

    assert (late.state, late.closure_type, late.counted_unit) == ("closed", "unreachable", None)
    late_clocks = clocks(late)
    assert late_clocks["first_contact"].status == "breached"
    assert late_clocks["first_contact"].met_at == received + timedelta(days=3)
    assert late_clocks["resolution"].status == "breached"  # due in 3 working days, ended at the closure

    assert not Milestone.objects.open().exists()
    result = sla_sweep(now=timezone.now())
    assert result.total == 0 and not Escalation.objects.exists()
    assert set(Complaint.objects.values_list("escalation_level", flat=True)) == {0}
    events = CaseEvent.objects.filter(case_type__model="complaint")
    assert sorted(events.values_list("action", "to_state")) == [("import", "closed"), ("import", "closed")]


def test_open_rows_run_their_clocks_from_receipt_and_are_escalated_as_any_case(manager_client, unit_b):
    received = ago(days=20)
    imported(manager_client, HEADER + row(received, state="处理中", unit="db", contacted=received + timedelta(hours=1),
                                          dispatched=received + timedelta(hours=2)))
    complaint = Complaint.objects.get()
    assert (complaint.state, complaint.responsible_unit, complaint.counted_unit) == ("assigned", unit_b, unit_b)
    assert complaint.dispatched_at == received + timedelta(hours=2)
    running = clocks(complaint)
    assert running["first_contact"].status == "met"
    resolution = running["resolution"]
    policy = SlaPolicy.objects.get(pk=resolution.policy_id)
    assert resolution.status == "pending" and resolution.met_at is None
    assert resolution.due_at == deadline_compute(policy=policy, started_at=received, calendar=WorkingCalendar())[0]
    # The unit's clock runs from the dispatch, by the provider's policy, as a live dispatch starts it.
    solution = running["unit_solution"]
    assert solution.started_at == received + timedelta(hours=2) and solution.unit == unit_b
    assert solution.policy.unit_kind == "provider"
    assert sla_sweep(now=timezone.now()).total > 0  # twenty days on, it is overdue like any open case
    complaint.refresh_from_db()
    assert complaint.escalation_level >= 1


def test_an_unknown_unit_is_a_row_error_and_nothing_is_written(manager_client, unit_a):
    received = ago(days=10)
    closed = dict(closure="满意", closed=received + timedelta(days=2))
    response = preview(manager_client, HEADER + row(received, unit="QA", **closed)
                       + row(received, unit="NOPE", phone="13987654321", **closed))
    assert response.status_code == 400
    [error] = response.context["preview"].errors
    assert error.line == 3 and "NOPE" in error.messages[0]
    assert "Import all" not in response.content.decode()
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("extra, message", [
    (dict(state="resolved"), "cannot be imported"),
    (dict(state="closed"), "closure type: needed"),
    (dict(closure="满意"), "closed at: needed"),
    (dict(state="contacted"), "first contacted at: needed"),
    (dict(state="assigned", contacted=True), "dispatched at: needed"),
    (dict(state="registered", contacted=True), "has not got that far"),
    (dict(closure="满意", closed=-1), "closed at: before received at"),
    (dict(closure="满意", closed=1, contacted=2), "after the closure"),
])
def test_impossible_histories_are_row_errors(manager_client, unit_a, extra, message):
    received = ago(days=10)
    for name in ("contacted", "closed"):
        if name in extra:
            extra[name] = received + timedelta(days=extra[name] if extra[name] is not True else 1)
    response = preview(manager_client, HEADER + row(received, **extra))
    assert response.status_code == 400
    assert message in " ".join(response.context["preview"].errors[0].messages)


def test_a_known_phone_under_another_name_is_a_warning_not_an_error(manager_client):
    known = Customer.objects.create(name="张伟", phone="13812345678")
    received = ago(days=3)
    response = preview(manager_client, HEADER + row(received, name="张小伟"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "138****5678" in text and "张小伟" in text and "13812345678" not in text
    [warning] = response.context["preview"].warnings
    assert warning.line == 2
    confirm(manager_client, response)
    assert Complaint.objects.get().customer == known
    assert Customer.objects.get().name == "张伟"  # the file does not rename a known customer


def test_a_year_of_closed_history_is_never_escalated_and_counts_in_its_months_reports(
        manager_client, settings, unit_a, unit_b, django_capture_on_commit_callbacks):
    """Issue 13's acceptance: 10,000 closed complaints over twelve months, imported through the page's
    background path; a sweep escalates none, and the monthly reports show what the file says."""
    import random

    from reports.monthly import monthly_report
    from reports.periods import Month

    settings.IMPORT_BACKGROUND_FROM_BYTES = 0
    rng = random.Random(13)
    first = Month.current().shift(-13)
    months = [first.shift(i) for i in range(12)]
    units = {"QA": unit_a, "DB": unit_b}
    header = ("受理时间,客户姓名,联系电话,渠道,类别,主题,投诉内容,状态,责任单位,首次联系时间,派单时间,单位答复时间,"
              "处理完成时间,回访结果,回访时间,关闭类型,关闭时间\n")
    lines, facts = [header], []
    for n in range(10_000):
        month = rng.choice(months)
        received = month.start + timedelta(days=rng.randrange(27), hours=rng.randrange(8, 18),
                                           minutes=rng.randrange(60))
        closure = rng.choices(["satisfied", "unreachable", "forced", "invalid"], [80, 8, 6, 6])[0]
        unit = "" if closure == "invalid" else rng.choice(list(units))
        contacted = received + timedelta(hours=rng.choice([2, 30]))  # within 24 hours, or not
        fast = rng.random() < 0.7  # closed within 3 working days, or a month on (past any closure deadline)
        closed = received + (timedelta(hours=40) if fast else timedelta(days=31))
        dispatched = replied = resolved = None
        if unit:
            dispatched = contacted + timedelta(hours=1)
            # in time, or (closed a month on) fifteen days late, past any unit's deadline
            replied = dispatched + (timedelta(hours=2) if fast or rng.random() < 0.8 else timedelta(days=15))
            resolved = min(replied + timedelta(hours=1), closed)
        outcome = (rng.choice(["very_satisfied", "satisfied", "neutral"]) if closure == "satisfied"
                   else "unreachable" if closure == "unreachable" else "")
        lines.append(",".join([
            t(received), f"客户{n}", f"139{n:08d}", "400热线", "服务流程", "维修等待时间长", "等待四小时", "closed",
            unit,
            t(contacted), *(t(x) if x else "" for x in (dispatched, replied, resolved)), outcome,
            t(closed) if outcome else "", closure, t(closed)]) + "\n")
        facts.append(dict(month=month, unit=units.get(unit), received=received, contacted=contacted, closed=closed,
                          closure=closure, outcome=outcome, dispatched=dispatched, replied=replied))
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post("/imports/", {"kind": "complaints",
                                          "file": SimpleUploadedFile("历史.csv", "".join(lines).encode("gbk"))})
    from casework.models import ImportJob

    job = ImportJob.objects.get()
    assert (job.status, job.rows_checked, job.error_count) == ("ready", 10_000, 0), job.errors[:3]
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(f"/imports/jobs/{job.pk}/confirm/")
    job.refresh_from_db()
    assert (job.status, job.rows_written) == ("done", 10_000)
    assert Complaint.objects.filter(state="closed").count() == 10_000

    assert not Milestone.objects.open().exists()
    assert sla_sweep(now=timezone.now()).total == 0
    assert not Escalation.objects.exists() and not Complaint.objects.filter(escalation_level__gt=0).exists()

    for month in (months[0], months[5], months[11]):
        report = monthly_report(month=month, with_lists=False)
        by_unit = {figures.unit_id: figures for figures in report.units}
        for unit in (unit_a, unit_b, None):
            mine = [f for f in facts if f["month"] == month and (unit is None or f["unit"] == unit)]
            figures = report.total if unit is None else by_unit[unit.pk]
            in_month = [f for f in mine if f["closed"] < month.end]
            expected = {
                "n": len(mine),
                "unreachable": sum(f["closure"] == "unreachable" for f in in_month),
                "closed_in_month": sum(f["closure"] != "unreachable" for f in in_month),
                "contacted_24h": sum(f["contacted"] - f["received"] <= timedelta(hours=24) for f in mine),
                "replied_on_time": sum(f["replied"] is not None and f["replied"] - f["dispatched"] <= timedelta(hours=2)
                                       and f["replied"] < month.end for f in mine),
                "called_back": sum(f["outcome"] not in ("", "unreachable") for f in in_month),
                "one_time_closed": sum(f["closure"] == "satisfied" and f["closed"] - f["received"] < timedelta(days=2)
                                       for f in in_month),
                "satisfied": sum(f["outcome"] in ("very_satisfied", "satisfied") for f in in_month),
            }
            assert {name: getattr(figures, name) for name in expected} == expected, (month, unit)
            assert expected["n"] > 100 and 0 < expected["one_time_closed"] < expected["closed_in_month"]
