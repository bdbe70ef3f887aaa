"""Who may see what. Every security-relevant read goes through one of these helpers."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import CaseFile, Inspection
from .roles import INSPECTOR, LEAD, QA_LEAD


def access_inspection_by_slug(user, slug: str) -> Inspection:
    if not any(user.has_perm(r.permission) for r in (INSPECTOR, LEAD, QA_LEAD)) and not user.has_perm(
        "reports.build_reports"
    ):
        raise PermissionDenied
    return get_object_or_404(Inspection, slug=slug)


def access_inspection_as_lead(user, slug: str) -> Inspection:
    if not user.has_perm(LEAD.permission):
        raise PermissionDenied
    return get_object_or_404(Inspection, slug=slug)


def access_case_file_to_examine(user, slug: str, urn: str) -> CaseFile:
    """The file, if it is in the sample and assigned to this inspector."""
    if not user.has_perm(INSPECTOR.permission):
        raise PermissionDenied
    case_file = get_object_or_404(
        CaseFile.objects.select_related("inspection", "area", "assigned_to"), inspection__slug=slug, urn=urn
    )
    if case_file.assigned_to_id != user.pk or case_file.role != CaseFile.Role.SAMPLE or case_file.unavailable_reason:
        raise PermissionDenied
    return case_file
