"""Who may see what in reports. Views get every object through these helpers."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.access import is_report_writer
from casefiles.models import CaseExample, Inspection

from .models import ReportJob


def access_report_job(user, job_id: int) -> ReportJob:
    if not is_report_writer(user):
        raise PermissionDenied
    return get_object_or_404(ReportJob.objects.select_related("inspection", "requested_by"), pk=job_id)


def access_inspection_for_reports(user, inspection_id: str | int | None) -> Inspection | None:
    """The inspection named (by id), or the newest when none is; None when there is none at all."""
    if not is_report_writer(user):
        raise PermissionDenied
    if inspection_id not in (None, ""):
        if not str(inspection_id).isdigit():
            raise Http404("No such inspection.")
        return get_object_or_404(Inspection.objects.select_related("question_set"), pk=int(inspection_id))
    return Inspection.objects.select_related("question_set").order_by("-created_at").first()


def access_case_example(user, example_id: int) -> CaseExample:
    if not is_report_writer(user):
        raise PermissionDenied
    return get_object_or_404(CaseExample.objects.select_related("answer__examination__case_file"), pk=example_id)
