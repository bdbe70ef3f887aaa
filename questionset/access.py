"""Who may see which question sets. Every read in the views goes through one of these."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.access import has_any_role, is_lead

from .models import QuestionSet


def access_question_set(user, pk: int) -> QuestionSet:
    """Any version, for anybody holding a role: the set is what inspectors answer and what
    consistency exercises discuss, and it holds no case data."""
    if not has_any_role(user):
        raise PermissionDenied
    return get_object_or_404(QuestionSet, pk=pk)


def access_versions_as_lead(user, code: str) -> list[QuestionSet]:
    """Every version of the set `code`, newest first, with their use counted (lead only)."""
    if not is_lead(user):
        raise PermissionDenied
    versions = list(QuestionSet.objects.versions_of(code))
    if not versions:
        raise Http404("No question set has that code.")
    return versions


def access_version_pair_as_lead(user, code: str, a: int, b: int) -> tuple[QuestionSet, QuestionSet]:
    if not is_lead(user):
        raise PermissionDenied
    found = {qs.number: qs for qs in QuestionSet.objects.filter(code=code, number__in=[a, b])}
    if a not in found or b not in found:
        raise Http404("No such version.")
    return found[a], found[b]
