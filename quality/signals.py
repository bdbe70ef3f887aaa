"""A temporary account past its expiry is signed straight out again, even if nobody has run
`expire_temporary_accounts` since it expired (the command then switches it off for good)."""

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from .models import Participant

TEMPORARY = "quality.temporary"  # in the session: the middleware checks the expiry on every request
EXPIRED_MESSAGE = "This temporary account has expired. Ask the inspection team if you need more time."


@receiver(user_logged_in, dispatch_uid="quality.refuse_expired_temporary_account")
def refuse_expired_temporary_account(sender, request, user, **kwargs) -> None:
    if Participant.objects.filter(user=user, is_temporary=True, expires_at__lte=timezone.now()).exists():
        get_user_model().objects.filter(pk=user.pk).update(is_active=False)
        logout(request)
        messages.error(request, EXPIRED_MESSAGE)
        return
    temporary = Participant.objects.filter(user=user, is_temporary=True).exists()
    if temporary and request is not None and hasattr(request, "session"):
        request.session[TEMPORARY] = True
