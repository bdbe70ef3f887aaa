"""Who may see what in reports. Views get every object through these helpers."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from casefiles.models import Answer, Inspection

from .models import CaseExample, ReportJob

BUILD_REPORTS = "reports.build_reports"
EXAMINE_FILES = "casefiles.examine_files"
QUALITY_ASSURE = "casefiles.quality_assure"


def access_report_job(user, job_id: int) -> ReportJob:
    if not user.has_perm(BUILD_REPORTS):
        raise PermissionDenied
    return get_object_or_404(ReportJob.objects.select_related("inspection", "requested_by"), pk=job_id)


def access_inspection_for_reports(user, inspection_id: str | int | None) -> Inspection | None:
    """The inspection named (by id), or the newest when none is; None when there is none at all."""
    if not user.has_perm(BUILD_REPORTS):
        raise PermissionDenied
    if inspection_id not in (None, ""):
        if not str(inspection_id).isdigit():
            raise Http404("No such inspection.")
        return get_object_or_404(Inspection.objects.select_related("question_set"), pk=int(inspection_id))
    return Inspection.objects.select_related("question_set").order_by("-created_at").first()


def access_answer_to_flag(user, answer_id: int) -> Answer:
    """An answer the user may flag: one of their own examinations' answers (an inspector's
    primary examination, or a QA lead's re-examination)."""
    if not (user.has_perm(EXAMINE_FILES) or user.has_perm(QUALITY_ASSURE)):
        raise PermissionDenied
    answer = get_object_or_404(
        Answer.objects.select_related("examination__case_file__inspection", "question"), pk=answer_id
    )
    if answer.examination.examiner_id != user.pk:
        raise PermissionDenied
    return answer


def access_case_example(user, example_id: int) -> CaseExample:
    if not user.has_perm(BUILD_REPORTS):
        raise PermissionDenied
    return get_object_or_404(CaseExample.objects.select_related("answer__examination__case_file"), pk=example_id)
