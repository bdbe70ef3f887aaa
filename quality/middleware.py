"""A temporary account's live session ends when the account expires: every page, not only
the exercise pages, is refused from then on. Sign-in marks a temporary account's session,
so the check costs a query for those sessions only."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone

from .models import Participant
from .signals import EXPIRED_MESSAGE, TEMPORARY


class ExpiredTemporaryAccountMiddleware:
    def __init__(self, get_response: Callable):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get(TEMPORARY) and request.user.is_authenticated and self._expired(request):
            get_user_model().objects.filter(pk=request.user.pk).update(is_active=False)
            logout(request)
            if request.method != "GET":
                return JsonResponse({"error": EXPIRED_MESSAGE}, status=401)
            messages.error(request, EXPIRED_MESSAGE)
            return redirect("login")
        return self.get_response(request)

    @staticmethod
    def _expired(request: HttpRequest) -> bool:
        return Participant.objects.filter(
            user=request.user, is_temporary=True, expires_at__lte=timezone.now()
        ).exists()
