"""Issue 10: a month's report does not change after the month is over — the mailed version is
stored and shown again; a recalculation is an administrator's explicit new version; the units'
limit and status are read as they were in the month; criteria 5.1.5 and 5.1.6 (seed 001
抱怨处理费用支持管理办法) are part of the verdict."""

import io

from django.core import mail
from django.test import Client
from openpyxl import load_workbook

from reports.mailing import monthly_report_mail
from reports.models import MonthlyReportSnapshot
from reports.monthly import monthly_report
from reports.periods import Month
from reports.snapshots import report_of_month

SEPTEMBER, OCTOBER = Month(2026, 9), Month(2026, 10)


def sheets(raw: bytes) -> dict:
    book = load_workbook(io.BytesIO(raw))
    return {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}


def logged_in(user) -> Client:
    """A client logged in now (on the test's clock: the idle timeout would end an older session)."""
    client = Client()
    client.force_login(user)
    return client


def unit_row(report, unit):
    return next(u for u in report.units if u.unit_id == unit.pk)


def test_the_mailed_report_equals_a_later_download_after_the_case_closed_next_month(desk, unit_a, admin_user,
                                                                                 manager):
    """Seed 001 5.6: units are assessed next month on last month's figures — the figures mailed on
    the 1st; a callback that closes the case on 5 October changes nothing of September's."""
    admin_user.email = "admin@example.com"
    admin_user.save()
    complaint = desk.resolve("2026-09-21 10:00", unit_a, contacted="2026-09-21 11:00", implemented="2026-09-28 10:00")
    desk.clock.set("2026-10-01 08:00")
    assert monthly_report_mail(month=SEPTEMBER) == ["admin@example.com"]
    [(name, mailed, _)] = mail.outbox[0].attachments
    assert "第1版" in mail.outbox[0].body

    desk.call(complaint, "2026-10-05 10:00", "very_satisfied")
    manager_client = logged_in(manager)
    downloaded = manager_client.get("/reports/monthly/export/?month=2026-09&format=xlsx")
    assert sheets(downloaded.content) == sheets(mailed)
    a = unit_row(report_of_month(month=SEPTEMBER), unit_a)
    assert (a.closure_rate, a.satisfaction_rate, a.called_back) == (0, 0, 0)
    page = manager_client.get("/reports/monthly/?month=2026-09").content.decode()
    assert "Stored version 1, computed 2026-10-01 08:00" in page
    csv_rows = manager_client.get("/reports/monthly/export/?month=2026-09&format=csv").content.decode("utf-8-sig")
    assert "Stored version 1, computed 2026-10-01 08:00" in csv_rows  # the file says what the page says
    assert MonthlyReportSnapshot.objects.filter(month="2026-09").count() == 1


def test_a_recalculation_is_the_admins_and_keeps_the_earlier_version(desk, unit_a, admin_user, manager):
    complaint = desk.resolve("2026-09-21 10:00", unit_a, contacted="2026-09-21 11:00", implemented="2026-09-28 10:00")
    desk.clock.set("2026-10-01 08:00")
    monthly_report_mail(month=SEPTEMBER)
    desk.call(complaint, "2026-10-05 10:00", "very_satisfied")

    desk.clock.set("2026-10-06 09:00")
    manager_client, admin_client_role = logged_in(manager), logged_in(admin_user)
    assert manager_client.post("/reports/monthly/recalculate/", {"month": "2026-09"}).status_code == 403
    response = admin_client_role.post("/reports/monthly/recalculate/", {"month": "2026-09"})
    assert response.status_code == 302
    versions = list(MonthlyReportSnapshot.objects.filter(month="2026-09").order_by("version")
                    .values_list("version", "triggered_by__username"))
    assert versions == [(1, None), (2, "admin")]
    page = manager_client.get("/reports/monthly/?month=2026-09").content.decode()
    assert "Stored version 2, computed 2026-10-06 09:00" in page and "2 versions stored" in page
    assert "Recalculate" not in page  # the button is the admin's
    assert "Recalculate" in admin_client_role.get("/reports/monthly/?month=2026-09").content.decode()
    # The month in progress cannot be recalculated: it is computed live and never stored.
    assert admin_client_role.post("/reports/monthly/recalculate/", {"month": "2026-10"}).status_code == 400
    assert report_of_month(month=OCTOBER).version is None
    assert not MonthlyReportSnapshot.objects.filter(month="2026-10").exists()


def test_an_old_months_verdict_is_unchanged_after_the_limit_is_reset(desk, unit_a):
    """Seed 001 3.5 / 5.1.1: the limit is set per quarter ("该限值视情况按季度进行调整"); September is
    judged by September's limit even after the admin raises it in October."""
    unit_a.monthly_complaint_limit = 1
    unit_a.save()
    for minute in ("10:00", "10:30"):
        complaint = desk.register(f"2026-09-07 {minute}", category="product_quality")
        desk.contact_and_dispatch(complaint, "2026-09-07 11:00", unit_a)
    desk.clock.set("2026-10-10 09:00")
    unit_a.monthly_complaint_limit = 5
    unit_a.save()

    a = unit_row(monthly_report(month=SEPTEMBER), unit_a)  # computed live, from the history
    assert (a.limit, a.limited_n, a.over_limit) == (1, 2, True)
    assert "5.1.1 over its monthly complaint limit (2 > 1)" in a.support_refusals


def test_negative_media_exposure_fails_the_verdict_of_its_month(desk, unit_a, manager):
    """Seed 001 5.1.5 "当月无因销售服务商市场维护不及时、不作为而造成市场恶劣影响、产生负面媒体曝光",
    recorded by a manager."""
    complaint = desk.resolve("2026-09-07 10:00", unit_a, contacted="2026-09-07 11:00", implemented="2026-09-09 10:00")
    desk.call(complaint, "2026-09-10 10:00", "satisfied")
    assert unit_row(monthly_report(month=SEPTEMBER), unit_a).qualifies_for_support
    desk.clock.set("2026-09-21 09:00")
    manager_client = logged_in(manager)
    response = manager_client.post("/reports/media-exposures/", {
        "unit": unit_a.pk, "date": "2026-09-18", "description": "本地论坛与晚报报道门店拒绝保修"})
    assert response.status_code == 302
    page = manager_client.get("/reports/media-exposures/").content.decode()
    assert "本地论坛与晚报报道门店拒绝保修" in page

    a = unit_row(monthly_report(month=SEPTEMBER), unit_a)
    assert a.support_refusals == ["5.1.5 negative media exposure in the month"]
    october = monthly_report(month=OCTOBER)
    assert all(u.unit_id != unit_a.pk for u in october.units)  # nothing in October: no row, no refusal


def test_a_unit_suspended_or_in_transition_during_the_month_fails_its_verdict(desk, unit_a, unit_b, handler_b):
    """Seed 001 5.1.6 "过渡服务、暂停服务权限的销售服务商，不享受售后服务抱怨处理费用支持政策": suspended
    for five days of September, or in transition service for its last days; October is clean again."""
    for unit in (unit_a, unit_b):
        complaint = desk.register("2026-09-07 10:00")
        complaint = desk.contact_and_dispatch(complaint, "2026-09-07 11:00", unit)
    for when, unit, status in [("2026-09-15 09:00", unit_a, "suspended"), ("2026-09-20 09:00", unit_a, "active"),
                               ("2026-09-25 09:00", unit_b, "transition"), ("2026-09-30 18:00", unit_b, "active")]:
        desk.clock.set(when)
        unit.status = status
        unit.save()  # as the admin's unit page saves it: the history gets a row

    september = monthly_report(month=SEPTEMBER)
    a, b = unit_row(september, unit_a), unit_row(september, unit_b)
    assert (a.suspended, a.in_transition, b.suspended, b.in_transition) == (True, False, False, True)
    for unit in (a, b):  # their complaints are still open (5.1.3) and they were out of service (5.1.6)
        assert unit.support_refusals == ["5.1.3 monthly closure rate below 100%",
                                         "5.1.6 in transition service or suspended in the month"]
    for unit in (unit_a, unit_b):
        complaint = desk.register("2026-10-12 10:00")
        desk.contact_and_dispatch(complaint, "2026-10-12 11:00", unit)
    october = monthly_report(month=OCTOBER)
    for unit in (unit_a, unit_b):
        assert unit_row(october, unit).support_refusals == ["5.1.3 monthly closure rate below 100%"]
