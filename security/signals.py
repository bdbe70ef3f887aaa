from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import session_started


@receiver(user_logged_in, dispatch_uid="security.session_started")
def start_session_clocks(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        session_started(request)
