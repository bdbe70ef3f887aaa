"""Recording reads and exports. The middleware audits the pages and downloads named in
AUDITED by URL name, in the same request (a failed audit write fails the request: nothing
is shown that is not recorded); services call `audit_record` for what has no request."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .client_ip import client_ip
from .models import AuditEvent

A = AuditEvent.Action
# URL name → (action, how to name the target from the URL's arguments).
AUDITED: dict[str, tuple[str, Callable[[dict], str]]] = {
    "casefiles:examine": (A.VIEWED, lambda kw: f"{kw['urn']} (primary examination)"),
    "casefiles:examination": (A.VIEWED, lambda kw: f"{kw['urn']} (primary examination, read-only)"),
    "quality:review": (A.VIEWED, lambda kw: f"{kw['urn']} (dip review)"),
    "quality:exercise_examine": (A.VIEWED, lambda kw: f"{kw['urn']} (consistency exercise {kw['pk']})"),
    "sampling:sample_csv": (A.EXPORTED, lambda kw: "sample CSV"),
    "quality:export": (A.EXPORTED, lambda kw: "agreement workbook (XLSX)"),
    "reports:download": (A.REPORT, lambda kw: f"report job {kw['job_id']}"),
}


def audit_record(*, action: str, target: str, inspection: str = "", user=None, request=None) -> AuditEvent:
    return AuditEvent.objects.create(
        action=action,
        target=target[:300],
        inspection=inspection[:100],
        user=user if user is not None and user.is_authenticated else None,
        username=getattr(user, "username", "") or "",
        path=request.get_full_path()[:500] if request is not None else "",
        ip_address=(client_ip(request) or None) if request is not None else None,
    )


class AuditMiddleware:
    def __init__(self, get_response: Callable):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if request.method == "GET" and response.status_code == 200 and match and match.view_name in AUDITED:
            action, describe = AUDITED[match.view_name]
            kwargs = match.kwargs
            inspection = kwargs.get("slug", "") or _job_inspection(kwargs)
            target = describe(kwargs)
            audit_record(action=action, target=target, inspection=inspection, user=request.user, request=request)
        return response


def _job_inspection(kwargs: dict) -> str:
    if "job_id" not in kwargs:
        return ""
    from django.apps import apps

    job = apps.get_model("reports", "ReportJob").objects.filter(pk=kwargs["job_id"]).values("inspection__slug").first()
    return job["inspection__slug"] if job else ""
