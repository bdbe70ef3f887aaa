"""The client's IP address, for lockout and audit.

Behind a reverse proxy every request comes from the proxy's address, so lockout by IP
would lock everybody out at once. The proxy's X-Forwarded-For header is believed only
when TRUSTED_PROXY_COUNT says how many proxies stand in front of the app: the address
that many hops from the right is the client's (anything further left the client wrote
itself, so it is never trusted)."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
