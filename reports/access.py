from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import ReportJob


def access_report_job(user, job_id: int) -> ReportJob:
    if not user.has_perm("reports.build_reports"):
        raise PermissionDenied
    return get_object_or_404(ReportJob.objects.select_related("inspection", "requested_by"), pk=job_id)
