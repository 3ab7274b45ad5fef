from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=6)
def mail_last_months_report() -> int:
    from .mailing import monthly_report_mail
    from .periods import Month

    return len(monthly_report_mail(month=Month.current().shift(-1)))
