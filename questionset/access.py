"""Who may see which question sets. Every read in the views goes through one of these."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.roles import LEAD, roles_of

from .models import QuestionSet


def access_question_set(user, pk: int) -> QuestionSet:
    """Any version, for anybody holding a role: the set is what inspectors answer and what
    consistency exercises discuss, and it holds no case data."""
    if not roles_of(user):
        raise PermissionDenied
    return get_object_or_404(QuestionSet, pk=pk)


def access_versions_as_lead(user, code: str) -> list[QuestionSet]:
    """Every version of the set `code`, newest first, with their use counted (lead only)."""
    if not user.has_perm(LEAD.permission):
        raise PermissionDenied
    versions = list(QuestionSet.objects.versions_of(code))
    if not versions:
        raise Http404("No question set has that code.")
    return versions


def access_version_pair_as_lead(user, code: str, a: int, b: int) -> tuple[QuestionSet, QuestionSet]:
    if not user.has_perm(LEAD.permission):
        raise PermissionDenied
    found = {qs.number: qs for qs in QuestionSet.objects.filter(code=code, number__in=[a, b])}
    if a not in found or b not in found:
        raise Http404("No such version.")
    return found[a], found[b]
