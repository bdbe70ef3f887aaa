"""Who may see what. Every security-relevant read goes through one of these helpers."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import can_oversee, is_inspector, is_qa_lead
from accounts.roles import ALL_ROLES, INSPECTOR, LEAD, QA_LEAD, REPORT_WRITER, Role

from .models import Answer, CaseFile, Examination, Inspection, InspectionMember
from .team import memberships_of

# Need-to-know: a global role (group) says what someone may ever be; membership of an
# inspection's team (InspectionMember) says where. Both are needed, except for superusers
# (the administrators), who see every inspection.


def team_roles_in(user, inspection: Inspection | int) -> set[str]:
    """The role codes someone holds in an inspection: team roles backed by their global role."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return {role.code for role in ALL_ROLES}
    codes = memberships_of(user).get(getattr(inspection, "pk", inspection), frozenset())
    return {role.code for role in ALL_ROLES if role.code in codes and user.has_perm(role.permission)}


def holds_role_in(user, inspection: Inspection | int, *roles: Role) -> bool:
    return bool(team_roles_in(user, inspection) & {role.code for role in roles})


def oversees(user, inspection: Inspection | int) -> bool:
    """The inspection's lead and QA lead see every file's answers, return examinations, run exercises."""
    return holds_role_in(user, inspection, LEAD, QA_LEAD)


def team_flags(user, inspection: Inspection) -> dict[str, bool]:
    """accounts.access.role_flags for one inspection: what the person may do in it."""
    roles = team_roles_in(user, inspection)
    return {
        "examine": INSPECTOR.code in roles,
        "lead": LEAD.code in roles,
        "quality_assure": QA_LEAD.code in roles,
        "oversee": bool(roles & {LEAD.code, QA_LEAD.code}),
        "build_reports": REPORT_WRITER.code in roles,
        "any_role": bool(roles),
    }


def inspections_visible_to(user) -> QuerySet[Inspection]:
    """The inspections someone belongs to (every one for a superuser)."""
    if not user.is_authenticated:
        return Inspection.objects.none()
    if user.is_superuser:
        return Inspection.objects.all()
    held = [role.code for role in ALL_ROLES if user.has_perm(role.permission)]
    return Inspection.objects.filter(
        pk__in=InspectionMember.objects.filter(user=user, role__in=held).values("inspection")
    )


def access_inspection_holding(user, slug: str, *roles: Role) -> Inspection:
    """The inspection, for a member holding one of `roles` in it. Without the global role: 403
    (as before teams); no such inspection: 404; not in its team in that role: 403."""
    if not any(user.has_perm(role.permission) for role in roles):
        raise PermissionDenied
    inspection = get_object_or_404(Inspection, slug=slug)
    if not holds_role_in(user, inspection, *roles):
        raise PermissionDenied
    return inspection


def access_inspection_to_examine(user, slug: str) -> Inspection:
    """An inspection whose files an inspector examines (their queue)."""
    return access_inspection_holding(user, slug, INSPECTOR)


def access_inspection_as_lead(user, slug: str) -> Inspection:
    return access_inspection_holding(user, slug, LEAD)


def access_inspection_question_set_as_lead(user, slug: str) -> Inspection:
    inspection = access_inspection_as_lead(user, slug)
    return Inspection.objects.select_related("question_set").get(pk=inspection.pk)


def _case_file(slug: str, urn: str) -> CaseFile:
    return get_object_or_404(
        CaseFile.objects.select_related("inspection", "area", "assigned_to"), inspection__slug=slug, urn=urn
    )


def _may_examine(user, case_file: CaseFile) -> bool:
    return (
        case_file.assigned_to_id == user.pk
        and case_file.role == CaseFile.Role.SAMPLE
        and not case_file.unavailable_reason
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
    if case_file is None or not holds_role_in(user, case_file.inspection_id, INSPECTOR):
        raise PermissionDenied
    return case_file


def access_primary_examination_to_save(user, slug: str, urn: str) -> Examination | None:
    """A file's primary examination with its file, in one query, for the inspector who may examine
    the file (the autosave path); None when the file has no examination yet."""
    if not is_inspector(user):
        raise PermissionDenied
    examination = (
        Examination.objects.primary()
        .select_related("case_file__inspection", "case_file__area", "question_set")
        .defer("question_set__source", "question_set__description", "question_set__criteria")
        .filter(case_file__inspection__slug=slug, case_file__urn=urn)
        .first()
    )
    if examination is None:
        return None
    if not _may_examine(user, examination.case_file):
        raise PermissionDenied
    return examination


def may_view_primary_examination(user, case_file: CaseFile) -> bool:
    """A file's primary examination, read-only: for the inspector the file is assigned to now
    (not whoever examined it before a reassignment), the lead and the QA lead."""
    roles = team_roles_in(user, case_file.inspection_id)
    return bool(roles & {LEAD.code, QA_LEAD.code}) or (INSPECTOR.code in roles and case_file.assigned_to_id == user.pk)


def access_primary_examination_to_view(user, slug: str, urn: str) -> Examination:
    """A file's primary examination, read-only: for its inspector, the lead and the QA lead.
    Only those who see every file learn (by a 404) that a URN does not exist."""
    inspection = Inspection.objects.filter(slug=slug).first()
    if inspection is not None and oversees(user, inspection):
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
    examination = access_primary_examination_to_view(user, slug, urn)
    if not oversees(user, examination.case_file.inspection_id):
        raise PermissionDenied
    return examination


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
    if not holds_role_in(user, answer.examination.case_file.inspection_id, INSPECTOR, QA_LEAD):
        raise PermissionDenied
    return answer
