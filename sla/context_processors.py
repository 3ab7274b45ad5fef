from casework.roles import is_staff_role

from .selectors import calendar_missing_years


def calendar_warning(request):
    """Staff pages and the admin warn while a year's official holiday calendar is not loaded: in
    full, with where to load it, to those who may (the admin's calendar: the admin role); in one
    short line to everyone else, who can do nothing about it but should know deadlines skip no
    holiday."""
    user = getattr(request, "user", None)
    if user is None or not (is_staff_role(user) or getattr(user, "is_staff", False)):
        return {}
    missing = calendar_missing_years()
    if not missing:
        return {"calendar_missing_years": missing}
    return {"calendar_missing_years": missing, "calendar_can_load": may_load_calendar(user)}


def may_load_calendar(user) -> bool:
    """Who can load a year's holidays: through the admin's calendar import, so a staff account with
    the calendar's add permission (the admin role has it; sla migration 0003)."""
    return bool(getattr(user, "is_staff", False) and user.has_perm("sla.add_calendarday"))
