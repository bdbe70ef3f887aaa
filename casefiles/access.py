"""Who may see what. Every security-relevant read goes through one of these helpers."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import can_oversee, has_any_role, is_inspector, is_lead, is_qa_lead

from .models import Answer, CaseFile, Examination, Inspection


def inspections_visible_to(user) -> QuerySet[Inspection]:
    """The inspections someone's home page lists: every one for anybody holding a role."""
    return Inspection.objects.all() if has_any_role(user) else Inspection.objects.none()


def access_inspection_by_slug(user, slug: str) -> Inspection:
    if not has_any_role(user):
        raise PermissionDenied
    return get_object_or_404(Inspection, slug=slug)


def access_inspection_to_examine(user, slug: str) -> Inspection:
    """An inspection whose files an inspector examines (their queue)."""
    if not is_inspector(user):
        raise PermissionDenied
    return get_object_or_404(Inspection, slug=slug)


def access_inspection_as_lead(user, slug: str) -> Inspection:
    if not is_lead(user):
        raise PermissionDenied
    return get_object_or_404(Inspection, slug=slug)


def access_inspection_question_set_as_lead(user, slug: str) -> Inspection:
    inspection = access_inspection_as_lead(user, slug)
    return Inspection.objects.select_related("question_set").get(pk=inspection.pk)


def _case_file(slug: str, urn: str) -> CaseFile:
    return get_object_or_404(
        CaseFile.objects.select_related("inspection", "area", "assigned_to"), inspection__slug=slug, urn=urn
    )


def access_case_file_to_examine(user, slug: str, urn: str) -> CaseFile:
    """The file, if it is in the sample and assigned to this inspector. A file they may not
    examine and a file that does not exist are both 403: the answer tells nobody which URNs exist."""
    if not is_inspector(user):
        raise PermissionDenied
    case_file = (
        CaseFile.objects.select_related("inspection", "area", "assigned_to")
        .filter(inspection__slug=slug, urn=urn, assigned_to=user, role=CaseFile.Role.SAMPLE, unavailable_reason="")
        .first()
    )
    if case_file is None:
        raise PermissionDenied
    return case_file


def may_view_primary_examination(user, case_file: CaseFile) -> bool:
    """A file's primary examination, read-only: for the inspector the file is assigned to now
    (not whoever examined it before a reassignment), the lead and the QA lead."""
    return can_oversee(user) or (is_inspector(user) and case_file.assigned_to_id == user.pk)


def access_primary_examination_to_view(user, slug: str, urn: str) -> Examination:
    """A file's primary examination, read-only: for its inspector, the lead and the QA lead.
    Only those who see every file learn (by a 404) that a URN does not exist."""
    if can_oversee(user):
        case_file = _case_file(slug, urn)
    else:
        case_file = (
            CaseFile.objects.select_related("inspection", "area", "assigned_to")
            .filter(inspection__slug=slug, urn=urn)
            .first()
        )
        if case_file is None or not may_view_primary_examination(user, case_file):
            raise PermissionDenied
    return get_object_or_404(
        Examination.objects.primary().select_related(
            "case_file__inspection", "case_file__area", "examiner", "question_set"
        ),
        case_file=case_file,
    )


def access_examination_to_return(user, slug: str, urn: str) -> Examination:
    if not can_oversee(user):
        raise PermissionDenied
    return access_primary_examination_to_view(user, slug, urn)


def access_answer_to_flag(user, answer_id: int) -> Answer:
    """An answer the user may flag: one of their own examinations' answers (an inspector's
    primary examination, or a QA lead's re-examination)."""
    if not (is_inspector(user) or is_qa_lead(user)):
        raise PermissionDenied
    answer = get_object_or_404(
        Answer.objects.select_related("examination__case_file__inspection", "question"), pk=answer_id
    )
    if answer.examination.examiner_id != user.pk:
        raise PermissionDenied
    return answer
