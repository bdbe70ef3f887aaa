"""Two-factor sign-in (django-otp): a TOTP authenticator app, and ten single-use recovery codes.

Who must use it: administrators and anyone holding a permission in TWO_FACTOR_PERMISSIONS
(leads, QA leads, report writers); inspectors too when TWO_FACTOR_FOR_INSPECTORS. Nobody
when TWO_FACTOR_REQUIRED is off (the local demo). Such a person, signed in with a password
only, reaches nothing but the pages to set up or enter a code (and sign out)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10


def requires_two_factor(user) -> bool:
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    permissions = list(settings.TWO_FACTOR_PERMISSIONS)
    if settings.TWO_FACTOR_FOR_INSPECTORS:
        permissions.append(settings.TWO_FACTOR_INSPECTOR_PERMISSION)
    return any(user.has_perm(p) for p in permissions)


def pending_totp_device(user) -> TOTPDevice:
    """The authenticator being set up (unconfirmed until a first code is entered)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def new_recovery_codes(user) -> list[str]:
    """Replace the person's recovery codes with ten new ones (each works once)."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Recovery codes", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def verified_device(user, token: str):
    """The person's device that accepts this code (an authenticator's or a recovery code), or None."""
    token = token.replace(" ", "").strip()
    if not token or len(token) > 16:
        return None
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


def has_confirmed_device(user) -> bool:
    return user_has_device(user, confirmed=True)


OPEN_PATHS = ("/static/", "/healthz")


class TwoFactorMiddleware:
    """After the password, a person who must use two-factor sign-in is sent to set it up or
    to enter a code; until then every other page is refused."""

    def __init__(self, get_response: Callable):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not requires_two_factor(user) or user.is_verified():
            return self.get_response(request)
        allowed = {reverse("security:two_factor_setup"), reverse("security:two_factor_verify"), reverse("logout")}
        if request.path in allowed or request.path.startswith(OPEN_PATHS):
            return self.get_response(request)
        if request.method != "GET":
            return JsonResponse({"error": "Enter your two-factor code first."}, status=401)
        target = "security:two_factor_verify" if has_confirmed_device(user) else "security:two_factor_setup"
        return redirect(f"{reverse(target)}?next={request.get_full_path()}")
