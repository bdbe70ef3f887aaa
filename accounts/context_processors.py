from django.conf import settings

from .access import role_flags
from .roles import roles_of


def marking(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "protective_marking": settings.PROTECTIVE_MARKING,
        "session_idle_seconds": settings.SESSION_IDLE_TIMEOUT,
        "two_factor_required": settings.TWO_FACTOR_REQUIRED,
        "session_warning_seconds": min(settings.SESSION_IDLE_WARNING, settings.SESSION_IDLE_TIMEOUT),
        "user_roles": roles_of(user) if user is not None else [],
        "may": role_flags(user),
    }
