"""Reads for the quality pages, a constant number of queries whatever the number of files."""

from dataclasses import dataclass

from django.db.models import Count, Q

from casefiles.dip import dip_percent, dip_target
from casefiles.models import CaseFile, Examination, Inspection

from .models import DipReview, Exercise, Participant, ReviewItem

STATES = {
    "to_review": "Ready to review",
    "in_progress": "Review in progress",
    "confirmed": "Confirmed",
    "amended": "Amended",
    "waiting": "Waiting for the inspector",
}


@dataclass
class DipRow:
    case_file: CaseFile
    examination: Examination | None
    review: DipReview | None

    @property
    def state(self) -> str:
        if self.review is not None:
            return self.review.status
        if self.examination is not None and self.examination.status == Examination.Status.SUBMITTED:
            return "to_review"
        return "waiting"

    @property
    def state_label(self) -> str:
        return STATES[self.state]


def dip_rows(inspection: Inspection) -> list[DipRow]:
    """Every file in the dip sample with its primary examination and review, if any."""
    files = list(
        CaseFile.objects.filter(inspection=inspection, in_dip=True)
        .in_sample()
        .select_related("area", "assigned_to", "inspection")
        .order_by("urn")
    )
    examinations = {
        e.case_file_id: e for e in Examination.objects.primary().filter(case_file__in=files).select_related("examiner")
    }
    reviews = {
        r.examination.case_file_id: r
        for r in DipReview.objects.filter(examination__case_file__in=files)
        .select_related("reviewer", "examination")
        .annotate(disagreements=Count("items", filter=Q(items__agrees=False)))
    }
    return [DipRow(f, examinations.get(f.pk), reviews.get(f.pk)) for f in files]


@dataclass(frozen=True)
class DipProgress:
    sample_size: int
    percent: float
    target: int
    dipped: int
    completed: int
    in_progress: int
    ready: int
    waiting: int
    amended: int

    @property
    def completed_percent(self) -> float:
        """Reviews completed as a percentage of the sample: the scope asks for at least the plan's percentage."""
        return 100 * self.completed / self.sample_size if self.sample_size else 0.0

    @property
    def to_target(self) -> int:
        return max(0, self.target - self.completed)


def dip_progress(inspection: Inspection, rows: list[DipRow]) -> DipProgress:
    sample_size = CaseFile.objects.filter(inspection=inspection).in_sample().count()
    percent = dip_percent(inspection)
    states = [r.state for r in rows]
    return DipProgress(
        sample_size=sample_size,
        percent=percent,
        target=dip_target(sample_size, percent),
        dipped=len(rows),
        completed=states.count("confirmed") + states.count("amended"),
        in_progress=states.count("in_progress"),
        ready=states.count("to_review"),
        waiting=states.count("waiting"),
        amended=states.count("amended"),
    )


def feedback_reviews(inspection: Inspection, inspector) -> list[DipReview]:
    """Completed reviews of the inspector's own examinations, newest first, with their disagreements."""
    reviews = list(
        DipReview.objects.filter(examination__case_file__inspection=inspection, examination__examiner=inspector)
        .exclude(status=DipReview.Status.IN_PROGRESS)
        .select_related("examination__case_file__area", "reviewer")
        .order_by("-completed_at")
    )
    disagreements = (
        ReviewItem.objects.filter(review__in=reviews, agrees=False)
        .select_related("question")
        .prefetch_related("question__options")
        .order_by("question__order")
    )
    by_review: dict[int, list[ReviewItem]] = {}
    for item in disagreements:
        by_review.setdefault(item.review_id, []).append(item)
    for review in reviews:
        review.disagreement_items = by_review.get(review.pk, [])
    return reviews


@dataclass
class ExerciseFileRow:
    case_file: CaseFile
    status: str  # not_started, in_progress, submitted
    answered: int


def exercise_file_rows(exercise: Exercise, user) -> list[ExerciseFileRow]:
    """The exercise's files for one participant, with the state of their own examination."""
    files = list(exercise.files.select_related("area").order_by("urn"))
    examinations = {
        e.case_file_id: e
        for e in Examination.objects.filter(
            exercise_link__exercise=exercise, examiner=user, kind=Examination.Kind.CONSISTENCY
        ).annotate(answered=Count("answers", filter=~Q(answers__value="")))
    }
    rows = []
    for case_file in files:
        e = examinations.get(case_file.pk)
        if e is None or (e.status != Examination.Status.SUBMITTED and not e.answered):
            rows.append(ExerciseFileRow(case_file, "not_started", 0))
        else:
            status = "submitted" if e.status == Examination.Status.SUBMITTED else "in_progress"
            rows.append(ExerciseFileRow(case_file, status, e.answered))
    return rows


@dataclass
class ParticipantRow:
    participant: Participant
    submitted: int
    started: int


def participant_rows(exercise: Exercise) -> list[ParticipantRow]:
    """Each participant with how many of the exercise's files they have submitted and started."""
    counts = {
        row["examiner_id"]: row
        for row in Examination.objects.filter(exercise_link__exercise=exercise)
        .values("examiner_id")
        .annotate(submitted=Count("pk", filter=Q(status=Examination.Status.SUBMITTED)), started=Count("pk"))
        .order_by()
    }
    return [
        ParticipantRow(p, counts.get(p.user_id, {}).get("submitted", 0), counts.get(p.user_id, {}).get("started", 0))
        for p in exercise.participants.select_related("user")
    ]


def places_of(user) -> list[Participant]:
    """The exercises a person takes part in, open ones first."""
    return sorted(
        Participant.objects.filter(user=user).select_related("exercise__inspection"),
        key=lambda p: (not p.exercise.is_open, p.exercise.closes_on),
    )
