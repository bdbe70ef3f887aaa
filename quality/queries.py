"""Reads for the quality pages, a constant number of queries whatever the number of files."""

from dataclasses import dataclass

from django.db.models import Count, Q

from accounts.access import is_inspector
from casefiles.access import inspections_visible_to
from casefiles.dip import dip_percent, dip_target
from casefiles.examining import answer_label
from casefiles.models import Answer, CaseFile, Examination, Inspection, QuestionSetAdoption
from questionset.diff import QuestionSetDiff, diff_question_sets

from .models import AnswerQuery, DipReview, Exercise, GuidanceRead, Participant, ReviewItem

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
        review.changed = sum(1 for item in review.disagreement_items if item.amend)
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


@dataclass
class TimelineEntry:
    """One line of an answer's history: a change to the answer, or a step of a query."""

    at: object  # datetime
    who: str
    what: str
    old: str = ""
    new: str = ""
    text: str = ""
    query: AnswerQuery | None = None


def _name(user) -> str:
    return user.get_full_name() or user.username


def answer_timeline(examination: Examination, question) -> tuple[Answer | None, list[AnswerQuery], list[TimelineEntry]]:
    """The answer as it stands, its queries (newest first), and its history: every change
    (AnswerChange) and every step of every query, oldest first."""
    answer = Answer.objects.filter(examination=examination, question=question).first()
    queries = list(
        AnswerQuery.objects.filter(examination=examination, question=question)
        .select_related("opened_by")
        .prefetch_related("messages__author")
    )
    entries = []
    if answer is not None:
        for change in answer.changes.select_related("changed_by"):
            what = CHANGE_SOURCES.get(change.source, change.source)
            entries.append(
                TimelineEntry(
                    change.changed_at,
                    _name(change.changed_by),
                    what,
                    answer_label(question, change.old_value),
                    answer_label(question, change.new_value),
                    change.new_comment if change.new_comment != change.old_comment else "",
                )
            )
    for query in queries:
        for message in query.messages.all():
            entries.append(
                TimelineEntry(
                    message.created_at,
                    _name(message.author),
                    message.get_kind_display(),
                    answer_label(question, message.old_value),
                    answer_label(question, message.new_value),
                    message.text,
                    query,
                )
            )
    entries.sort(key=lambda e: e.at)
    return answer, queries, entries


CHANGE_SOURCES = {
    "examiner": "Answered",
    "qa_amendment": "Changed by the QA lead (agreed change)",
    "qa_reconcile": "QA lead's answer adopted",
    "query_change": "Changed in answer to a query",
}


def open_queries_for(user) -> list[AnswerQuery]:
    """Open queries someone must act on: on their own answers, or opened by them."""
    if not user.is_authenticated:
        return []
    return list(
        AnswerQuery.objects.filter(Q(examination__examiner=user) | Q(opened_by=user), status=AnswerQuery.Status.OPEN)
        .select_related("examination__case_file__inspection", "question", "opened_by")
        .order_by("opened_at")
    )


@dataclass
class GuidanceChange:
    """A version adopted after an exercise, and what changed in it, for one reader."""

    adoption: QuestionSetAdoption
    exercise: Exercise
    diff: QuestionSetDiff


def guidance_changes_for(user) -> list[GuidanceChange]:
    """Versions adopted after an inspection's first consistency exercise that the inspector
    has not marked read, oldest first, each with what changed (questionset.diff)."""
    if not user.is_authenticated or not is_inspector(user):
        return []
    read = GuidanceRead.objects.filter(user=user).values("adoption_id")
    adoptions = (
        QuestionSetAdoption.objects.filter(previous__isnull=False, inspection__in=inspections_visible_to(user))
        .exclude(pk__in=read)
        .select_related("inspection", "question_set", "previous")
        .order_by("adopted_at")
    )
    changes = []
    for adoption in adoptions:
        exercise = (
            Exercise.objects.filter(inspection_id=adoption.inspection_id, created_at__lt=adoption.adopted_at)
            .order_by("-created_at")
            .first()
        )
        if exercise is not None:
            diff = diff_question_sets(adoption.previous.as_spec(), adoption.question_set.as_spec())
            if not diff.is_empty:
                changes.append(GuidanceChange(adoption, exercise, diff))
    return changes
