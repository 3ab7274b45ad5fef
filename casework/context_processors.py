from .roles import Role, user_roles


def roles(request):
    """Lets templates show the navigation a person's roles allow."""
    names = user_roles(getattr(request, "user", None))
    return {
        "user_roles": names,
        "is_manager": Role.MANAGER in names,
        "is_service_desk": bool(names & {Role.AGENT, Role.MANAGER}),
        "is_admin_role": Role.ADMIN in names,
    }
