"""Who may see what in reports. Views get every object through these helpers."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.access import is_report_writer
from accounts.roles import REPORT_WRITER
from casefiles.access import holds_role_in
from casefiles.models import CaseExample, Inspection

from .models import ReportJob


def access_report_job(user, job_id: int) -> ReportJob:
    if not is_report_writer(user):
        raise PermissionDenied
    job = get_object_or_404(ReportJob.objects.select_related("inspection", "requested_by"), pk=job_id)
    if not holds_role_in(user, job.inspection_id, REPORT_WRITER):
        raise PermissionDenied
    return job


def access_inspection_for_reports(user, inspection_id: str | int | None) -> Inspection | None:
    """The inspection named (by id), or the newest when none is; None when there is none at all."""
    if not is_report_writer(user):
        raise PermissionDenied
    if inspection_id not in (None, ""):
        if not str(inspection_id).isdigit():
            raise Http404("No such inspection.")
        inspection = get_object_or_404(Inspection.objects.select_related("question_set"), pk=int(inspection_id))
        if not holds_role_in(user, inspection, REPORT_WRITER):
            raise PermissionDenied
        return inspection
    return inspections_reported_by(user).select_related("question_set").order_by("-created_at").first()


def inspections_reported_by(user) -> QuerySet[Inspection]:
    """The inspections someone writes reports for (every one for a superuser)."""
    if user.is_superuser:
        return Inspection.objects.all()
    if not is_report_writer(user):
        return Inspection.objects.none()
    return Inspection.objects.filter(members__user=user, members__role=REPORT_WRITER.code).distinct()


def report_jobs_visible_to(user) -> QuerySet[ReportJob]:
    return ReportJob.objects.filter(inspection__in=inspections_reported_by(user))


def access_case_example(user, example_id: int) -> CaseExample:
    if not is_report_writer(user):
        raise PermissionDenied
    example = get_object_or_404(CaseExample.objects.select_related("answer__examination__case_file"), pk=example_id)
    if not holds_role_in(user, example.answer.examination.case_file.inspection_id, REPORT_WRITER):
        raise PermissionDenied
    return example
