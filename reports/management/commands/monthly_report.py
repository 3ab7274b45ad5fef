from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.exports import monthly_report_csv, monthly_report_xlsx
from reports.monthly import monthly_report
from reports.periods import Month


class Command(BaseCommand):
    help = "Write the monthly closed-loop report of a month (Asia/Shanghai) as CSV or XLSX. Phones are masked."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="xlsx")
        parser.add_argument("--output", required=True, type=Path)

    def handle(self, *args, month, format, output, **options):
        try:
            period = Month.parse(month)
        except ValueError as error:
            raise CommandError(str(error)) from None
        report = monthly_report(month=period)
        data = monthly_report_csv(report) if format == "csv" else monthly_report_xlsx(report)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
        self.stdout.write(self.style.SUCCESS(
            f"{output}: {period}, {report.total.n} complaints in {len(report.units)} units"))
