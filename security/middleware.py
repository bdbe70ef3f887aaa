"""Request-wide protections: hostile input answered 400/404 rather than 500, no caching of
anything a signed-in person sees, and the idle and absolute session limits."""

import logging
import re
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import SuspiciousOperation
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.defaults import bad_request

log = logging.getLogger(__name__)

BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1
SESSION_LAST_SEEN = "security.last_seen"
SESSION_SIGNED_IN = "security.signed_in"
LAST_SEEN_GRANULARITY = 60  # seconds: the session is written at most once a minute for activity


class NullCharacter(SuspiciousOperation):
    """A NUL in the address or a form: no text field can store it (PostgreSQL refuses it)."""


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())


class HostileInputMiddleware:
    """NUL characters in the path, query or form → 400; an id no database column can hold
    (2^63 and over) → 404; the database refusing a value it cannot store → 400, not 500."""

    def __init__(self, get_response: Callable):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or "\x00" in request.META.get("QUERY_STRING", ""):
            raise NullCharacter("NUL in the request path or query")
        if _has_nul(request.GET):
            raise NullCharacter("NUL in the query")
        if request.method == "POST" and request.content_type in FORM_TYPES and _has_nul(request.POST):
            raise NullCharacter("NUL in the form")
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, int) and not BIGINT_MIN <= value <= BIGINT_MAX:
                raise Http404("No such record.")
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # Values the database cannot hold (an out-of-range number in a query string, say)
        # are the client's mistake: answer 400 and log it, rather than a server error.
        if isinstance(exception, (OverflowError, DataError)):
            log.warning("refused a value the database cannot hold: %s %s: %s", request.method, request.path, exception)
            return bad_request(request, SuspiciousOperation(str(exception)))
        return None


class NoStoreMiddleware:
    """Nothing a signed-in person is shown may be kept by a browser or proxy cache."""

    def __init__(self, get_response: Callable):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


ATTACHMENT_NAME = re.compile(r'(filename\*?=(?:utf-8\'\')?"?)')


class MarkDownloadsMiddleware:
    """Every download's file name starts with the protective marking, and the response says
    it in a header: SPEC fixes the CSV formats' first line, so the marking cannot go inside."""

    def __init__(self, get_response: Callable):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        disposition = response.get("Content-Disposition", "")
        if disposition.startswith("attachment"):
            # A view may say a file carries another marking (a report's publication copy), or none.
            marking = response.headers.get("X-Protective-Marking", settings.PROTECTIVE_MARKING)
            if marking:
                response["Content-Disposition"] = ATTACHMENT_NAME.sub(lambda m: f"{m.group(1)}{marking}_", disposition)
            response["X-Protective-Marking"] = marking
        return response


def idle_limit() -> int:
    return getattr(settings, "SESSION_IDLE_TIMEOUT", 30 * 60)


def absolute_limit() -> int:
    return settings.SESSION_COOKIE_AGE


def session_started(request: HttpRequest) -> None:
    """Called at sign-in: both clocks start now."""
    now = int(time.time())
    request.session[SESSION_SIGNED_IN] = now
    request.session[SESSION_LAST_SEEN] = now


class SessionTimeoutMiddleware:
    """Signs a person out after SESSION_IDLE_TIMEOUT seconds without a request, and after
    SESSION_COOKIE_AGE seconds in all however active (the absolute limit). A page's script
    warns before the idle limit and can keep the session alive (security:keep_alive)."""

    def __init__(self, get_response: Callable):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = int(time.time())
        session = request.session
        signed_in = session.get(SESSION_SIGNED_IN) or now
        last_seen = session.get(SESSION_LAST_SEEN) or now
        if now - last_seen > idle_limit() or now - signed_in > absolute_limit():
            idle = now - last_seen > idle_limit()
            return self._signed_out(request, idle)
        if SESSION_SIGNED_IN not in session:
            session[SESSION_SIGNED_IN] = signed_in
        if now - last_seen >= LAST_SEEN_GRANULARITY or SESSION_LAST_SEEN not in session:
            session[SESSION_LAST_SEEN] = now
        return self.get_response(request)

    def _signed_out(self, request: HttpRequest, idle: bool) -> HttpResponse:
        logout(request)
        reason = (
            f"You were signed out because you did nothing for {idle_limit() // 60} minutes."
            if idle
            else f"You were signed out because you had been signed in for {absolute_limit() // 3600} hours."
        )
        if request.method != "GET" or request.headers.get("Accept", "").startswith("application/json"):
            # The page's script keeps unsent answers in the browser and says why they were not saved.
            return JsonResponse({"error": reason + " Sign in again: your unsaved answers are kept."}, status=401)
        messages.info(request, reason)
        return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}")
