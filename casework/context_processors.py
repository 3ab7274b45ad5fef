from .notifications import notification_unread_count
from .roles import Role, user_roles


def roles(request):
    """Lets templates show the navigation a person's roles allow, and the bell's count."""
    user = getattr(request, "user", None)
    names = user_roles(user)
    return {
        "unread_notifications": notification_unread_count(user=user) if names else 0,
        "user_roles": names,
        "is_manager": Role.MANAGER in names,
        "is_service_desk": bool(names & {Role.AGENT, Role.MANAGER}),
        "is_admin_role": Role.ADMIN in names,
    }
