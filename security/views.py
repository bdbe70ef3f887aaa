"""Error pages that carry the protective marking (Django's own carry none), and the
session keep-alive behind the time-out warning's "Stay signed in"."""

import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.http import require_POST

from .middleware import SESSION_LAST_SEEN, idle_limit


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
