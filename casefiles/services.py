"""Writes that touch case files, examinations and answers.

Every answer write goes through `answer_save` (or, for an examination's very first
answers in bulk, `answers_record_new`), which writes the history row in the same
transaction: nothing is overwritten silently and every change can be traced."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone

from questionset.loader import QuestionSetInvalid, parse_question_set
from questionset.models import Option, Question, QuestionSet
from questionset.rules import applicable_codes
from questionset.services import case_conditions_refused, question_set_load

from .assignment import FileToAssign, balanced_assignment
from .models import (
    Answer,
    AnswerChange,
    AssignmentChange,
    CaseExample,
    CaseFile,
    Examination,
    ExaminationEvent,
    Inspection,
    InspectorBar,
    QuestionSetAdoption,
)


class StaleAnswer(Exception):
    """The answer changed since the client read it: nothing was written."""

    def __init__(self, answer: Answer | None):
        self.answer = answer
        super().__init__("This answer was changed elsewhere since you opened it; nothing was saved.")


class ExaminationLocked(Exception):
    pass


class QuestionDoesNotApply(Exception):
    pass


class AssignmentRefused(Exception):
    pass


@dataclass(frozen=True)
class SaveResult:
    answer: Answer
    changed: bool


@transaction.atomic
def examination_open(*, case_file: CaseFile, examiner, kind: str = Examination.Kind.PRIMARY) -> Examination:
    """The examination of this file (primary: the file's one; others: the examiner's own),
    started against the inspection's current question set version."""
    lookup = {"case_file": case_file, "kind": kind}
    if kind != Examination.Kind.PRIMARY:
        lookup["examiner"] = examiner
    examination = Examination.objects.filter(**lookup).first()
    if examination is None:
        examination = Examination.objects.create(
            case_file=case_file, kind=kind, examiner=examiner, question_set=case_file.inspection.question_set
        )
    examination.case_file = case_file  # as the caller fetched it (with its Area and inspection): no query more
    return examination


@transaction.atomic
def answer_save(
    *,
    examination: Examination,
    question: Question,
    value: str,
    comment: str,
    user,
    expected_version: int | None,
    source: str = "examiner",
    questions: list[Question] | None = None,
) -> SaveResult:
    """Save one answer if nobody changed it since `expected_version` (0: never saved).

    Raises StaleAnswer, writing nothing, when the stored version differs (unless the
    stored answer already equals this one): the caller shows both values and lets the
    user choose. Raises QuestionDoesNotApply for a question the file's attributes and
    earlier answers rule out. An unchanged answer writes no answer and no history.
    `questions` (the examination's question set, in page order) saves reading them again.
    """
    # The examination's row is touched first: the UPDATE locks it until commit, so saves to one
    # examination (and its submission, which locks the same row) take turns; for an inspector it
    # also refuses a submitted examination — one statement instead of a read, a lock and a write.
    editable = Q() if source != "examiner" else ~Q(status=Examination.Status.SUBMITTED)
    if not Examination.objects.filter(editable, pk=examination.pk).update(updated_at=timezone.now()):
        raise ExaminationLocked("This examination has been submitted and is read-only.")
    stored = {
        a.question_code: a
        for a in Answer.objects.filter(examination=examination).annotate(question_code=F("question__code"))
    }
    if value:
        if questions is None:
            questions = Question.objects.filter(question_set_id=examination.question_set_id).only(
                "code", "applies_when"
            )
        values = {code: a.value for code, a in stored.items()}
        if question.code not in applicable_codes(questions, examination.case_file.attributes, values):
            raise QuestionDoesNotApply(f"{question.code} does not apply to this file with the answers given so far.")
    answer = stored.get(question.code)
    current_version = answer.version if answer else 0
    same_as_stored = answer is not None and answer.value == value and answer.comment == comment
    if expected_version is not None and expected_version != current_version and not same_as_stored:
        raise StaleAnswer(answer)
    if same_as_stored:
        return SaveResult(answer=answer, changed=False)
    if answer is None:
        answer = Answer.objects.create(
            examination=examination, question=question, value=value, comment=comment, updated_by=user, version=1
        )
        old_value = old_comment = ""
    else:
        old_value, old_comment = answer.value, answer.comment
        answer.value, answer.comment, answer.updated_by = value, comment, user
        answer.version += 1
        answer.save(update_fields=["value", "comment", "updated_by", "version", "updated_at"])
    AnswerChange.objects.create(
        answer=answer,
        old_value=old_value,
        new_value=value,
        old_comment=old_comment,
        new_comment=comment,
        version=answer.version,
        changed_by=user,
        source=source,
    )
    return SaveResult(answer=answer, changed=True)


@dataclass(frozen=True)
class SaveAttempt:
    """One answer's save, tried: `saved`, or `stale` (someone changed the answer since the version
    the client read: `stored` is theirs, to show beside the one posted), or `refused` (why)."""

    saved: SaveResult | None = None
    stale: bool = False
    stored: Answer | None = None
    refused: str = ""


def answer_try_save(**save) -> SaveAttempt:
    """answer_save (same arguments), its refusals and the stale-answer conflict returned, not raised,
    for the pages that show them beside the question: the examination page and the review pages."""
    try:
        return SaveAttempt(saved=answer_save(**save))
    except StaleAnswer as stale:
        return SaveAttempt(stale=True, stored=stale.answer)
    except (QuestionDoesNotApply, ExaminationLocked) as refused:
        return SaveAttempt(refused=str(refused))


@transaction.atomic
def answers_record_new(*, examination: Examination, values: dict[Question, tuple[str, str]], user, source: str) -> int:
    """Record the first answers of an examination that has none (imports, the demo), with
    their history rows, in bulk. Refuses if any answer exists: those change via answer_save."""
    if Answer.objects.filter(examination=examination).exists():
        raise ValueError("This examination already has answers; change them one at a time.")
    Answer.objects.bulk_create(
        Answer(examination=examination, question=q, value=v, comment=c, updated_by=user, version=1)
        for q, (v, c) in values.items()
    )
    answers = list(Answer.objects.filter(examination=examination))
    AnswerChange.objects.bulk_create(
        AnswerChange(answer=a, new_value=a.value, new_comment=a.comment, version=1, changed_by=user, source=source)
        for a in answers
    )
    return len(answers)


class ExaminationIncomplete(Exception):
    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(f"{len(problems)} question(s) need an answer or a comment")


def submission_problems(examination: Examination) -> dict[str, str]:
    """Question code → what is missing, for every applicable question, in order."""
    questions = list(
        Question.objects.in_page_order(examination.question_set_id).prefetch_related(
            Prefetch("options", queryset=Option.objects.filter(exclusive=True))
        )
    )
    answers = {a.question.code: a for a in examination.answers.select_related("question")}
    applicable = applicable_codes(questions, examination.case_file.attributes, {c: a.value for c, a in answers.items()})
    problems = {}
    for question in questions:
        if question.code not in applicable:
            continue
        answer = answers.get(question.code)
        if question.required and (answer is None or not answer.value):
            problems[question.code] = "Answer this question"
        elif answer and question.exclusive_conflict(answer.value.split("|")):
            problems[question.code] = question.exclusive_conflict(answer.value.split("|"))
        elif answer and set(answer.value.split("|")) & set(question.comment_required_for) and not answer.comment:
            problems[question.code] = "Explain this answer in the comment"
    return problems


def answers_no_longer_applying(examination: Examination) -> list[Answer]:
    questions = list(Question.objects.in_page_order(examination.question_set_id))
    answers = list(examination.answers.select_related("question").exclude(value="", comment=""))
    values = {a.question.code: a.value for a in answers}
    applicable = applicable_codes(questions, examination.case_file.attributes, values)
    return [a for a in answers if a.question.code not in applicable]


def answers_clear_no_longer_applying(*, examination: Examination, user, source: str) -> None:
    """Clear, with history, the answers to questions that no longer apply (an earlier answer changed)."""
    for answer in answers_no_longer_applying(examination):
        answer_save(
            examination=examination,
            question=answer.question,
            value="",
            comment="",
            user=user,
            expected_version=answer.version,
            source=source,
        )


@transaction.atomic
def examination_submit(*, examination: Examination, user) -> Examination:
    """Submit when every applicable required question is answered. Answers to questions
    that no longer apply are cleared, with history; the examination is then read-only
    for its inspector until returned."""
    examination = Examination.objects.select_for_update().select_related("case_file").get(pk=examination.pk)
    if examination.status == Examination.Status.SUBMITTED:
        return examination
    problems = submission_problems(examination)
    if problems:
        raise ExaminationIncomplete(problems)
    answers_clear_no_longer_applying(examination=examination, user=user, source="no_longer_applies")
    examination.status = Examination.Status.SUBMITTED
    examination.submitted_at = timezone.now()
    examination.save(update_fields=["status", "submitted_at", "updated_at"])
    ExaminationEvent.objects.create(examination=examination, kind=ExaminationEvent.Kind.SUBMITTED, by=user)
    return examination


@transaction.atomic
def examination_return(*, examination: Examination, user, reason: str) -> Examination:
    """The lead or QA lead sends a submitted examination back to its inspector for change."""
    if not reason.strip():
        raise ValueError("Give the reason you are returning this examination.")
    examination = Examination.objects.select_for_update().get(pk=examination.pk)
    if examination.status != Examination.Status.SUBMITTED:
        raise ValueError("Only a submitted examination can be returned.")
    examination.status = Examination.Status.RETURNED
    examination.returned_reason = reason.strip()
    examination.save(update_fields=["status", "returned_reason", "updated_at"])
    ExaminationEvent.objects.create(
        examination=examination, kind=ExaminationEvent.Kind.RETURNED, reason=reason.strip(), by=user
    )
    return examination


@transaction.atomic
def inspection_create(*, slug: str, name: str, plan, question_set) -> Inspection:
    """A new inspection from its plan (sampling.plan.Plan) and question set version."""
    if Inspection.objects.filter(slug=slug).exists():
        raise ValueError(f"An inspection '{slug}' already exists.")
    if question_set is not None:
        # The set's case conditions must name the plan's attributes and values (QuestionSetInvalid).
        case_conditions_refused(questions=question_set.questions.all(), attributes=plan.attributes)
    return Inspection.objects.create(slug=slug, name=name, plan=plan.as_data(), question_set=question_set)


def _barred_pairs(inspection: Inspection) -> set[tuple[int, int]]:
    return set(InspectorBar.objects.filter(inspection=inspection).values_list("inspector_id", "area_id"))


@transaction.atomic
def files_assign(*, inspection: Inspection, case_files, inspector, by) -> int:
    """Assign (or reassign) files to one inspector, keeping history; answers stay with the
    file. Refused whole if the inspector is barred from any of the files' Areas."""
    files = list(CaseFile.objects.select_for_update().filter(inspection=inspection, pk__in=[f.pk for f in case_files]))
    barred = {area for i, area in _barred_pairs(inspection) if i == inspector.pk}
    clashes = sorted({f.urn for f in files if f.area_id in barred})
    if clashes:
        raise AssignmentRefused(
            f"{inspector.get_full_name() or inspector.username} is barred from the Area of {', '.join(clashes)}."
        )
    changed = [f for f in files if f.assigned_to_id != inspector.pk]
    AssignmentChange.objects.bulk_create(
        AssignmentChange(case_file=f, from_inspector_id=f.assigned_to_id, to_inspector=inspector, by=by)
        for f in changed
    )
    CaseFile.objects.filter(pk__in=[f.pk for f in changed]).update(assigned_to=inspector)
    return len(changed)


@transaction.atomic
def files_assign_balanced(*, inspection: Inspection, inspectors, by=None, case_files=None) -> tuple[int, list[str]]:
    """Assign the unassigned sampled files (or those given), balanced across the
    inspectors and never to one barred from the file's Area. Returns (how many were
    assigned, URNs nobody could take)."""
    pool = CaseFile.objects.filter(inspection=inspection).in_sample()
    targets = (
        pool.filter(assigned_to__isnull=True) if case_files is None else pool.filter(pk__in=[f.pk for f in case_files])
    )
    files = [FileToAssign(pk, area, stratum) for pk, area, stratum in targets.values_list("pk", "area_id", "stratum")]
    current = pool.exclude(pk__in=[f.id for f in files]).filter(assigned_to__isnull=False)
    plan, unassignable = balanced_assignment(
        files,
        [i.pk for i in inspectors],
        _barred_pairs(inspection),
        current.values_list("assigned_to_id", "area_id", "stratum"),
    )
    by_inspector: dict[int, list[int]] = defaultdict(list)
    for file_id, inspector_id in plan.items():
        by_inspector[inspector_id].append(file_id)
    previous = dict(CaseFile.objects.filter(pk__in=plan).values_list("pk", "assigned_to_id"))
    AssignmentChange.objects.bulk_create(
        AssignmentChange(case_file_id=f, from_inspector_id=previous[f], to_inspector_id=i, by=by)
        for f, i in plan.items()
        if previous[f] != i
    )
    for inspector_id, ids in by_inspector.items():
        CaseFile.objects.filter(pk__in=ids).update(assigned_to_id=inspector_id)
    urns = list(CaseFile.objects.filter(pk__in=unassignable).values_list("urn", flat=True))
    return len(plan), urns


@transaction.atomic
def inspector_bar(*, inspection: Inspection, inspector, area, reason: str, by) -> InspectorBar:
    """Bar an inspector from an Area. Refused while they hold files there: reassign those first."""
    if not reason.strip():
        raise ValueError("Give the reason for the bar (for example, a former CPS Area).")
    held = CaseFile.objects.filter(inspection=inspection, area=area, assigned_to=inspector).in_sample()
    if held.exists():
        raise AssignmentRefused(
            f"{inspector.username} holds {held.count()} file(s) in CPS {area.name}: reassign them first."
        )
    bar, _ = InspectorBar.objects.get_or_create(
        inspection=inspection, inspector=inspector, area=area, defaults={"reason": reason.strip(), "created_by": by}
    )
    return bar


class NothingToFlag(ValueError):
    pass


@transaction.atomic
def case_example_flag(*, answer: Answer, kind: str, user) -> CaseExample | None:
    """Flag the answer's comment as good practice or a failing; kind "" removes the flag."""
    if not kind:
        CaseExample.objects.filter(answer=answer).delete()
        return None
    if not answer.comment.strip():
        raise NothingToFlag("There is no comment on this answer to use as an example. Save a comment first.")
    example, _ = CaseExample.objects.update_or_create(answer=answer, defaults={"kind": kind, "flagged_by": user})
    return example


# Question-set versions an inspection uses.


@dataclass(frozen=True)
class UploadResult:
    question_set: QuestionSet
    created: bool  # False: the content was already loaded, as this version


@transaction.atomic
def question_set_upload(*, inspection, text: str, filename: str, user) -> UploadResult:
    """Load an uploaded file as a version of the inspection's question set. Refused whole
    (nothing stored) when any check fails; the inspection keeps its version until adopted."""
    spec = parse_question_set(text)
    current = inspection.question_set
    if current is not None and spec.code != current.code and _has_examinations(inspection):
        raise QuestionSetInvalid(
            [
                f"the file is question set '{spec.code}', but this inspection's examinations use "
                f"'{current.code}'; change the file's code to '{current.code}' to load it as a new version"
            ]
        )
    case_conditions_refused(questions=spec.questions, attributes=inspection.case_attributes)
    existed = QuestionSet.objects.filter(code=spec.code, checksum=spec.checksum()).exists()
    return UploadResult(question_set_load(text=text, filename=filename, user=user), created=not existed)


def _has_examinations(inspection) -> bool:
    return Examination.objects.filter(case_file__inspection=inspection).exists()


@transaction.atomic
def question_set_adopt(*, inspection, question_set: QuestionSet, user) -> QuestionSetAdoption | None:
    """Make the inspection's examinations started from now on use `question_set`.

    Examinations already started keep the version they began with. Adopting the version
    already in use does nothing and returns None.
    """
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if locked.question_set_id == question_set.pk:
        return None
    previous = locked.question_set
    if previous is not None and previous.code != question_set.code and _has_examinations(locked):
        raise QuestionSetInvalid(
            [f"this inspection's examinations use question set '{previous.code}', not '{question_set.code}'"]
        )
    case_conditions_refused(questions=question_set.questions.all(), attributes=locked.case_attributes)
    locked.question_set = question_set
    locked.save(update_fields=["question_set"])
    inspection.question_set = question_set
    return QuestionSetAdoption.objects.create(
        inspection=locked, question_set=question_set, previous=previous, adopted_by=user
    )
