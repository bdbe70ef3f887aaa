"""Error pages that carry the protective marking (Django's own carry none), and the
session keep-alive behind the time-out warning's "Stay signed in"."""

import base64
import io
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.qr import write_qrcode_image

from .middleware import SESSION_LAST_SEEN, idle_limit
from .two_factor import has_confirmed_device, new_recovery_codes, pending_totp_device, verified_device


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return HttpResponse(loader.render_to_string("403_csrf.html", {}, request), status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: whatever failed may fail again while rendering it.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"protective_marking": settings.PROTECTIVE_MARKING}))


@require_POST
def keep_alive(request: HttpRequest) -> JsonResponse:
    """"Stay signed in": the idle clock restarts now (the absolute limit does not move)."""
    request.session[SESSION_LAST_SEEN] = int(time.time())
    return JsonResponse({"idle_seconds": idle_limit()})


def _next(request: HttpRequest) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else "/"


@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code, enter the first code, note the recovery codes."""
    if has_confirmed_device(request.user) and not request.user.is_verified():
        return redirect("security:two_factor_verify")
    device = pending_totp_device(request.user)
    error = ""
    if request.method == "POST":
        if device.verify_token(request.POST.get("code", "").replace(" ", "").strip()[:16]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            codes = new_recovery_codes(request.user)
            return render(request, "security/recovery_codes.html", {"codes": codes, "next": _next(request)})
        error = "Enter the 6-digit code your authenticator app shows now"
    buffer = io.BytesIO()
    write_qrcode_image(device.config_url, buffer)
    context = {
        "qr_svg": buffer.getvalue().decode()[buffer.getvalue().decode().find("<svg") :],
        "secret": base64.b32encode(device.bin_key).decode(),
        "error": error,
        "next": _next(request),
    }
    return render(request, "security/two_factor_setup.html", context, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    if not has_confirmed_device(request.user):
        return redirect("security:two_factor_setup")
    error = ""
    if request.method == "POST":
        device = verified_device(request.user, request.POST.get("code", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        error = "The code is not right, or has been used: enter the code your app shows now, or a recovery code"
    context = {"error": error, "next": _next(request)}
    return render(request, "security/two_factor_verify.html", context, status=400 if error else 200)
