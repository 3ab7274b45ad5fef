from casework.roles import is_staff_role

from .selectors import calendar_missing_years


def calendar_warning(request):
    """Staff pages and the admin warn while a year's official holiday calendar is not loaded."""
    user = getattr(request, "user", None)
    if user is None or not (is_staff_role(user) or getattr(user, "is_staff", False)):
        return {}
    return {"calendar_missing_years": calendar_missing_years()}
