from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from reports.exports import monthly_report_csv, monthly_report_xlsx
from reports.periods import Month
from reports.snapshots import report_of_month


class Command(BaseCommand):
    help = ("Write the monthly closed-loop report of a month (Asia/Shanghai) as CSV or XLSX: a month that is "
            "over as stored (the mailed version or a later recalculation). Phones are masked.")

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="xlsx")
        parser.add_argument("--output", required=True, type=Path)

    def handle(self, *args, month, format, output, **options):
        try:
            period = Month.parse(month)
        except ValueError as error:
            raise CommandError(str(error)) from None
        report = report_of_month(month=period)  # a month that is over: its stored version
        with translation.override(settings.LANGUAGE_CODE):  # the company's file: the site's language
            data = monthly_report_csv(report) if format == "csv" else monthly_report_xlsx(report)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
        self.stdout.write(self.style.SUCCESS(
            f"{output}: {period}, {report.total.n} complaints in {len(report.units)} units"))
