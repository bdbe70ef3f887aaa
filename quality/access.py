"""Who may see what in quality assurance. Every view gets its objects through these helpers.

QA lead (casefiles.quality_assure): the dip queue, reviews, statistics, exercises.
Lead inspector (casefiles.lead_inspection): sets up exercises and sees their results.
Inspector: the feedback on their own reviewed files.
Exercise participant: only that exercise's files; a temporary account (no role at all)
reaches nothing else, and is refused — and switched off — once it has expired.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.access import can_oversee, is_inspector, is_qa_lead
from accounts.roles import INSPECTOR, LEAD, QA_LEAD
from casefiles.access import access_inspection_holding, holds_role_in, oversees
from casefiles.models import CaseFile, Examination, Inspection, QuestionSetAdoption
from questionset.models import Question

from .models import AnswerQuery, DipReview, Exercise, Participant


def access_inspection_as_qa(user, slug: str) -> Inspection:
    return access_inspection_holding(user, slug, QA_LEAD)


def access_inspection_for_exercises(user, slug: str) -> Inspection:
    return access_inspection_holding(user, slug, LEAD, QA_LEAD)


def access_inspection_for_feedback(user, slug: str) -> Inspection:
    return access_inspection_holding(user, slug, INSPECTOR)


def _dipped_primary(slug: str, urn: str) -> Examination:
    case_file = get_object_or_404(
        CaseFile.objects.in_sample().select_related("inspection"), inspection__slug=slug, urn=urn, in_dip=True
    )
    return get_object_or_404(
        Examination.objects.primary().select_related(
            "case_file__inspection", "case_file__area", "examiner", "question_set"
        ),
        case_file=case_file,
    )


def access_primary_to_review(user, slug: str, urn: str) -> Examination:
    """The primary examination of a file in the dip sample, for a QA lead."""
    if not is_qa_lead(user):
        raise PermissionDenied
    examination = _dipped_primary(slug, urn)
    if not holds_role_in(user, examination.case_file.inspection_id, QA_LEAD):
        raise PermissionDenied
    return examination


def access_review_to_view(user, slug: str, urn: str) -> DipReview:
    """A file's dip review: for the QA lead and the lead inspector; for its inspector once completed."""
    if not (can_oversee(user) or is_inspector(user)):
        raise PermissionDenied
    examination = _dipped_primary(slug, urn)
    review = get_object_or_404(DipReview.objects.select_related("reviewer", "dip_examination"), examination=examination)
    review.examination = examination
    if not may_view_review(user, review):
        raise PermissionDenied
    return review


def may_view_review(user, review: DipReview) -> bool:
    """The QA lead and the lead inspector; the inspector who examined the file, once it is completed
    (the feedback is on their answers, whoever holds the file now)."""
    inspection_id = review.examination.case_file.inspection_id
    if oversees(user, inspection_id):
        return True
    return (
        holds_role_in(user, inspection_id, INSPECTOR)
        and review.examination.examiner_id == user.pk
        and review.is_complete
    )


def may_edit_review(user, review: DipReview) -> bool:
    """Only its reviewer, until it is completed, and while the examination stands submitted."""
    return (
        not review.is_complete
        and review.reviewer_id == user.pk
        and review.examination.status == Examination.Status.SUBMITTED
    )


def _refuse_expired(user) -> None:
    """A temporary account past its expiry is switched off here as well as by the command,
    so it is refused even if nobody has run `expire_temporary_accounts` yet."""
    expired = Participant.objects.filter(user=user, is_temporary=True, expires_at__lte=timezone.now())
    if expired.exists():
        get_user_model().objects.filter(pk=user.pk).update(is_active=False)
        raise PermissionDenied


def access_exercise_to_manage(user, pk: int) -> Exercise:
    if not can_oversee(user):
        raise PermissionDenied
    exercise = get_object_or_404(Exercise.objects.select_related("inspection", "created_by"), pk=pk)
    if not oversees(user, exercise.inspection_id):
        raise PermissionDenied
    return exercise


def access_exercise_as_participant(user, pk: int) -> Participant:
    """The person's place in an exercise: membership is the only way in (a temporary account has no role)."""
    _refuse_expired(user)
    participant = (
        Participant.objects.select_related("exercise__inspection", "user").filter(exercise_id=pk, user=user).first()
    )
    if participant is None:
        raise PermissionDenied
    return participant


def access_exercise_file(user, pk: int, urn: str, *, to_change: bool = False) -> tuple[Participant, CaseFile]:
    """A file of an exercise, for one of its participants; to change answers, the exercise must be open."""
    participant = access_exercise_as_participant(user, pk)
    if to_change and not participant.exercise.is_open:
        raise PermissionDenied
    case_file = get_object_or_404(participant.exercise.files.select_related("inspection", "area"), urn=urn)
    return participant, case_file


# Queries on answers ----------------------------------------------------------------------


def may_open_query(user, examination: Examination) -> bool:
    return oversees(user, examination.case_file.inspection_id)


def may_take_part_in_queries(user, examination: Examination) -> bool:
    """The examination's inspector, the QA lead and the lead inspector."""
    inspection_id = examination.case_file.inspection_id
    return oversees(user, inspection_id) or (
        examination.examiner_id == user.pk and holds_role_in(user, inspection_id, INSPECTOR)
    )


def may_change_queried_answer(user, query: AnswerQuery) -> bool:
    return query.is_open and query.examination.examiner_id == user.pk


def may_close_query(user, query: AnswerQuery) -> bool:
    return query.is_open and query.opened_by_id == user.pk


def access_answer(user, slug: str, urn: str, code: str) -> tuple[Examination, Question]:
    """One answer (question) of a file's primary examination, with its queries and history."""
    examination = get_object_or_404(
        Examination.objects.select_related("case_file__inspection", "case_file__area", "examiner", "question_set"),
        case_file__inspection__slug=slug,
        case_file__urn=urn,
        kind=Examination.Kind.PRIMARY,
    )
    if not may_take_part_in_queries(user, examination):
        raise PermissionDenied
    question = get_object_or_404(
        Question.objects.select_related("section").prefetch_related("options"),
        question_set=examination.question_set,
        code=code,
    )
    return examination, question


def access_query(user, pk: int) -> AnswerQuery:
    query = get_object_or_404(
        AnswerQuery.objects.select_related("examination__case_file__inspection", "question", "opened_by"), pk=pk
    )
    if not may_take_part_in_queries(user, query.examination):
        raise PermissionDenied
    return query


def access_guidance_change(user, pk: int) -> QuestionSetAdoption:
    """A question-set version adopted by an inspection, for an inspector to mark read."""
    if not is_inspector(user):
        raise PermissionDenied
    adoption = get_object_or_404(QuestionSetAdoption, pk=pk, previous__isnull=False)
    if not holds_role_in(user, adoption.inspection_id, INSPECTOR):
        raise PermissionDenied
    return adoption


def access_blind_review_to_answer(user, slug: str, urn: str) -> DipReview:
    """A blind review whose QA lead is still giving their own answers: for that QA lead only."""
    if not is_qa_lead(user):
        raise PermissionDenied
    review = get_object_or_404(
        DipReview.objects.select_related("dip_examination__case_file__inspection", "examination"),
        examination=_dipped_primary(slug, urn),
    )
    if not review.blind or review.reviewer_id != user.pk or review.is_complete:
        raise PermissionDenied
    if not holds_role_in(user, review.examination.case_file.inspection_id, QA_LEAD):
        raise PermissionDenied
    return review
