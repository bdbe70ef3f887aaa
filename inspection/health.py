"""GET /healthz: does the database answer, does the task broker answer."""

import os

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:
        return False


def broker_answers() -> bool:
    try:
        if settings.CELERY_BROKER_URL.startswith("filesystem"):
            folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]
            return os.path.isdir(folder) and os.access(folder, os.W_OK)
        with Connection(
            settings.CELERY_BROKER_URL, connect_timeout=2, transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            return conn.connected
    except Exception:
        return False


def broker_kind() -> str:
    return settings.CELERY_BROKER_URL.split("://", 1)[0] or "unknown"


@login_not_required
@never_cache
@require_GET
def healthz(request):
    checks = {
        "database": {"engine": connection.vendor, "ok": database_answers()},
        "broker": {"transport": broker_kind(), "ok": broker_answers()},
    }
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)
