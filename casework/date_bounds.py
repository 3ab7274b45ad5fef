"""The dates a person or a file may enter. Outside these bounds a date is a slip of the keyboard
or an attack, and near year 1 or 9999 it overflows the deadline arithmetic and the pages that
show it — so every form, import and admin page that takes a date checks it here."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

# A clock a few minutes fast on the agent's PC should not block intake.
FUTURE_TOLERANCE = timedelta(minutes=10)
# Plans (an adopted proposal's implementation date) reach at most this far ahead.
PLANNING_HORIZON = timedelta(days=366 * 10)


def earliest_date() -> date:
    """No case is older than the department's oldest records (setting CASE_EARLIEST_DATE)."""
    return date.fromisoformat(settings.CASE_EARLIEST_DATE)


def validate_received_at(value: datetime) -> None:
    """When a case came in: not before the earliest records, not in the future."""
    earliest = timezone.make_aware(datetime.combine(earliest_date(), time.min))
    if value < earliest:
        raise ValidationError(_("The time received cannot be before %(date)s.")
                              % {"date": date_format(earliest_date())}, code="too_early")
    if value > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError(_("The time received cannot be in the future."), code="future")


def validate_planned_date(value: date) -> None:
    """A plan's date: not before the earliest records, not more than ten years ahead."""
    latest = timezone.localdate() + PLANNING_HORIZON
    if not earliest_date() <= value <= latest:
        raise ValidationError(_("Enter a date between %(first)s and %(last)s.")
                              % {"first": date_format(earliest_date()), "last": date_format(latest)},
                              code="out_of_range")


def validate_calendar_date(value: date) -> None:
    """A holiday or make-up day: a year the calendar can plausibly be about."""
    if not earliest_date().year <= value.year <= timezone.localdate().year + 10:
        raise ValidationError(_("Enter a date in the years %(first)s to %(last)s.")
                              % {"first": earliest_date().year, "last": timezone.localdate().year + 10},
                              code="out_of_range")


def validate_past_moment(value: datetime) -> None:
    """When something already happened (an imported case's contact or closure): not before the
    earliest records, not in the future."""
    earliest = timezone.make_aware(datetime.combine(earliest_date(), time.min))
    if value < earliest:
        raise ValidationError(_("The time cannot be before %(date)s.") % {"date": date_format(earliest_date())},
                              code="too_early")
    if value > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError(_("The time cannot be in the future."), code="future")
