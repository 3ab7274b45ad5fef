"""The history of each unit's monthly complaint limit and status (seed 001 3.5: the limit is set
each quarter; 5.1.6: units in transition service or suspended get no support), so a past month's
report reads the terms the unit had then."""

from __future__ import annotations

from django.utils import timezone

from casework.models import ResponsibleUnit

from .models import UnitTerms


def unit_terms_record(sender, instance: ResponsibleUnit, created: bool = False, raw: bool = False, **kwargs) -> None:
    """After a unit is saved (admin, shell, fixtures): a new history row if its limit or status
    differs from the latest one. `QuerySet.update()` bypasses this; change units through save()."""
    if raw:
        return
    latest = (UnitTerms.objects.filter(unit=instance).order_by("-valid_from", "-pk")
              .values_list("status", "monthly_complaint_limit").first())
    if latest != (instance.status, instance.monthly_complaint_limit):
        UnitTerms.objects.create(unit=instance, valid_from=timezone.now(), status=instance.status,
                                 monthly_complaint_limit=instance.monthly_complaint_limit)
