"""Mail the previous month's report to the administrators on the 1st (SPEC §7). What is mailed is
the month's stored version (reports.snapshots), so a later page or download of the month is the
same report."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation

from casework.roles import Role

from .exports import monthly_report_xlsx, report_filename
from .models import MonthlyReportMailing
from .periods import Month
from .snapshots import report_of_month

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def monthly_report_mail(*, month: Month) -> list[str]:
    """Send once per month; a second run (a beat that fired twice, a retry) sends nothing."""
    with transaction.atomic():
        mailing, _ = MonthlyReportMailing.objects.select_for_update().get_or_create(month=str(month))
        if mailing.sent_at is not None:
            return []
        # Stored even when nobody is mailed: the month is over, its figures are settled now.
        report = report_of_month(month=month)
        recipients = sorted(
            get_user_model().objects.filter(groups__name=Role.ADMIN, is_active=True)
            .exclude(email="").values_list("email", flat=True).distinct()
        )
        if recipients:
            message = EmailMessage(
                subject=f"[Closeloop] {month} 月度闭环报表",
                body=f"{month} 月度闭环报表（第{report.version or 0}版）见附件：投诉 {report.total.n} 件。",
                to=recipients,
            )
            # Mailed files leave the system: phones are always masked in them.
            with translation.override(settings.LANGUAGE_CODE):  # the company's file: the site's language
                message.attach(report_filename(report, "xlsx"), monthly_report_xlsx(report), XLSX)
            message.send()
        mailing.sent_at = timezone.now()
        mailing.recipients = ", ".join(recipients)
        mailing.save()
    return recipients
