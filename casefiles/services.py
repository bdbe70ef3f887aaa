"""Writes that touch case files, examinations and answers. Every answer write goes
through `answer_save`, which writes its history row in the same transaction."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from questionset.models import Question

from .models import Answer, AnswerChange, CaseFile, Examination, Inspection


class StaleAnswer(Exception):
    """The answer changed since the client read it: nothing was written."""

    def __init__(self, answer: Answer | None):
        self.answer = answer
        super().__init__("This answer was changed elsewhere since you opened it; nothing was saved.")


class ExaminationLocked(Exception):
    pass


@dataclass(frozen=True)
class SaveResult:
    answer: Answer
    changed: bool


@transaction.atomic
def examination_open(*, case_file: CaseFile, examiner, kind: str = Examination.Kind.PRIMARY) -> Examination:
    """The examiner's examination of this file, started against the inspection's current question set."""
    lookup = {"case_file": case_file, "kind": kind}
    if kind != Examination.Kind.PRIMARY:
        lookup["examiner"] = examiner
    examination = Examination.objects.filter(**lookup).first()
    if examination is None:
        examination = Examination.objects.create(
            case_file=case_file, kind=kind, examiner=examiner, question_set=case_file.inspection.question_set
        )
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
) -> SaveResult:
    """Save one answer if nobody changed it since `expected_version` (0 or None: never saved).

    Raises StaleAnswer, writing nothing, when the stored version differs: the caller
    shows both values and lets the user choose. An unchanged value writes nothing.
    """
    locked = Examination.objects.select_for_update().get(pk=examination.pk)
    if not locked.is_editable and source == "examiner":
        raise ExaminationLocked("This examination has been submitted and is read-only.")
    answer = Answer.objects.select_for_update().filter(examination=locked, question=question).first()
    current_version = answer.version if answer else 0
    same_as_stored = answer is not None and answer.value == value and answer.comment == comment
    if expected_version is not None and expected_version != current_version and not same_as_stored:
        raise StaleAnswer(answer)
    if answer is None:
        answer = Answer.objects.create(
            examination=locked, question=question, value=value, comment=comment, updated_by=user, version=1
        )
        AnswerChange.objects.create(
            answer=answer, new_value=value, new_comment=comment, version=1, changed_by=user, source=source
        )
        Examination.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
        return SaveResult(answer=answer, changed=True)
    if answer.value == value and answer.comment == comment:
        return SaveResult(answer=answer, changed=False)
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
    Examination.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
    return SaveResult(answer=answer, changed=True)


@transaction.atomic
def inspection_create(*, slug: str, name: str, plan, question_set) -> Inspection:
    """A new inspection from its plan (sampling.plan.Plan) and question set version."""

    if Inspection.objects.filter(slug=slug).exists():
        raise ValueError(f"An inspection '{slug}' already exists.")
    return Inspection.objects.create(slug=slug, name=name, plan=plan.as_data(), question_set=question_set)


@transaction.atomic
def files_assign(*, case_files, inspector, by=None) -> int:
    """Assign files to an inspector; answers stay with the file, so reassignment keeps them."""
    ids = [f.pk for f in case_files]
    return CaseFile.objects.filter(pk__in=ids).update(assigned_to=inspector)


def balanced_assignment(files: list[tuple[int, int, str]], inspector_ids: list[int]) -> dict[int, int]:
    """file id → inspector id, spreading Areas and strata evenly.

    files are (id, area_id, stratum). Dealing the files out in Area-then-stratum order,
    round robin, gives each inspector a near-equal share of every Area and stratum.
    """
    if not inspector_ids:
        return {}
    ordered = sorted(files, key=lambda f: (f[1], f[2], f[0]))
    return {file_id: inspector_ids[i % len(inspector_ids)] for i, (file_id, _, _) in enumerate(ordered)}


@transaction.atomic
def files_assign_balanced(*, inspection, inspectors) -> int:
    """Assign every unassigned sampled file, balanced across the inspectors."""
    files = list(
        CaseFile.objects.filter(inspection=inspection, assigned_to__isnull=True)
        .in_sample()
        .values_list("pk", "area_id", "stratum")
    )
    plan = balanced_assignment(files, [i.pk for i in inspectors])
    by_inspector: dict[int, list[int]] = {}
    for file_id, inspector_id in plan.items():
        by_inspector.setdefault(inspector_id, []).append(file_id)
    for inspector_id, ids in by_inspector.items():
        CaseFile.objects.filter(pk__in=ids).update(assigned_to_id=inspector_id)
    return len(plan)


class ExaminationIncomplete(Exception):
    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(f"{len(problems)} question(s) need an answer or a comment")


def submission_problems(examination: Examination) -> dict[str, str]:
    """Question code → what is missing, for every applicable question, in order."""
    from questionset.rules import applicable_codes

    questions = list(Question.objects.filter(question_set=examination.question_set).order_by("order"))
    answers = {a.question.code: a for a in examination.answers.select_related("question")}
    applicable = applicable_codes(questions, examination.case_file.attributes, {c: a.value for c, a in answers.items()})
    problems = {}
    for question in questions:
        if question.code not in applicable:
            continue
        answer = answers.get(question.code)
        if question.required and (answer is None or not answer.value):
            problems[question.code] = "Answer this question"
        elif answer and answer.value in question.comment_required_for and not answer.comment:
            problems[question.code] = "Explain this answer in the comment"
    return problems


@transaction.atomic
def examination_submit(*, examination: Examination, user) -> Examination:
    """Submit when every applicable required question is answered; then read-only for its inspector."""
    examination = Examination.objects.select_for_update().select_related("case_file").get(pk=examination.pk)
    problems = submission_problems(examination)
    if problems:
        raise ExaminationIncomplete(problems)
    examination.status = Examination.Status.SUBMITTED
    examination.submitted_at = timezone.now()
    examination.save(update_fields=["status", "submitted_at", "updated_at"])
    return examination


@transaction.atomic
def answers_record_new(*, examination: Examination, values: dict[Question, tuple[str, str]], user, source: str) -> int:
    """Record the first answers of an examination that has none (imports, the demo), with
    their history rows, in bulk. Refuses if any answer exists: those change via answer_save."""
    if Answer.objects.filter(examination=examination).exists():
        raise ValueError("This examination already has answers; change them one at a time.")
    answers = Answer.objects.bulk_create(
        Answer(examination=examination, question=q, value=v, comment=c, updated_by=user, version=1)
        for q, (v, c) in values.items()
    )
    if not answers or answers[0].pk is None:  # backends that do not return ids from bulk inserts
        answers = list(Answer.objects.filter(examination=examination))
    AnswerChange.objects.bulk_create(
        AnswerChange(answer=a, new_value=a.value, new_comment=a.comment, version=1, changed_by=user, source=source)
        for a in answers
    )
    return len(answers)
