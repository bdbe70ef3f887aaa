from django.conf import settings

from .roles import roles_of


def marking(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "protective_marking": settings.PROTECTIVE_MARKING,
        "user_roles": roles_of(user) if user is not None else [],
    }
