"""The demo's quality assurance: dip reviews (completed, amended, in progress, waiting) and a
small internal consistency exercise, built through the same services the pages use.

load_demo calls add_demo_quality after the dip sample is drawn."""

import contextlib
import datetime
import random

from django.db import transaction
from django.utils import timezone

from casefiles.models import Answer, CaseFile, Examination, Inspection
from casefiles.services import ExaminationIncomplete, answers_record_new, examination_submit
from questionset.models import Question
from questionset.rules import question_applies

from .models import Exercise
from .reviewing import Verdict
from .services import (
    ReviewIncomplete,
    exercise_examination_open,
    exercise_files_add,
    participants_add,
    review_complete,
    review_start,
)

REASONS = [
    "The file shows the review did not address the pattern of behaviour across the incidents.",
    "The MG3 records consultation with the victim, so this standard was met.",
    "The hearing record shows the application was made at sentence.",
    "The guidance asks for the rationale to be recorded; it was not.",
]
DIP_DISAGREEMENT_RATE = 0.04
EXERCISE_NOISE = 0.06


def _questions(question_set) -> list[Question]:
    return list(Question.objects.in_page_order(question_set).with_options())


def _routing_codes(questions: list[Question]) -> set[str]:
    """Questions whose answer decides whether a later one applies: the demo leaves them
    agreed, so its disagreements never change which questions apply."""
    return {code for q in questions for code in (q.applies_when or {}).get("answers", {})}


def _other_option(question: Question, value: str, rng: random.Random) -> str:
    others = [o.code for o in question.options.all() if o.code != value]
    return rng.choice(others) if others else value


def _review(primary: Examination, qa, questions: list[Question], rng: random.Random, complete: bool) -> None:
    review = review_start(examination=primary, reviewer=qa, blind=False)  # the demo records open verdicts
    if not complete:
        return
    routing = _routing_codes(questions)
    verdicts = {}
    for item in review.items.select_related("question").prefetch_related("question__options"):
        question = item.question
        if (
            question.answer_type == Question.Type.CHOICE
            and item.asked
            and item.inspector_value
            and question.code not in routing
            and rng.random() < DIP_DISAGREEMENT_RATE
        ):
            verdicts[question.code] = Verdict(
                agrees=False,
                qa_value=_other_option(question, item.inspector_value, rng),
                reason=rng.choice(REASONS),
                amend=rng.random() < 0.3,
            )
    feedback = "Thorough examination; see the reasons where I disagreed." if verdicts else ""
    try:
        with transaction.atomic():
            review_complete(review=review, user=qa, verdicts=verdicts, feedback=feedback)
    except ReviewIncomplete:
        review_complete(review=review, user=qa, feedback="Thorough examination.")


def _fallback(question: Question, case_file: CaseFile) -> str:
    """An answer for a required question the file's primary examination left without one."""
    if question.has_options:
        return question.options.first().code
    if question.answer_type == Question.Type.NUMBER:
        return "1"
    if question.answer_type == Question.Type.DATE:
        return case_file.first_date() or timezone.localdate().isoformat()
    return "Recorded in the exercise (demo)."


def _noisy_answers(case_file: CaseFile, questions: list[Question], primary: dict[str, Answer], rng: random.Random):
    """A participant's answers: the file's primary answers, each choice changed now and then."""
    values, effective = {}, {}
    for question in questions:
        if not question_applies(question.applies_when, case_file.attributes, effective):
            continue
        given = primary.get(question.code)
        value = given.value if given else ""
        if question.answer_type == Question.Type.CHOICE and (not value or rng.random() < EXERCISE_NOISE):
            value = _other_option(question, value, rng) if value else question.options.first().code
        if not value and question.required:
            value = _fallback(question, case_file)
        if not value:
            continue
        codes = set(value.split("|"))
        needs_comment = bool(codes & set(question.comment_required_for))
        comment = (given.comment if given and given.value == value else "") or (
            "Recorded in the exercise (demo)." if needs_comment else ""
        )
        values[question] = (value, comment)
        effective[question.code] = value
    return values


def _exercise(inspection: Inspection, people: dict, files: list[CaseFile], rng: random.Random) -> Exercise:
    exercise = Exercise.objects.create(
        inspection=inspection,
        name="Internal consistency exercise 1",
        kind=Exercise.Kind.INTERNAL,
        closes_on=timezone.localdate() + datetime.timedelta(days=14),
        instructions="Examine each file on your own; do not discuss it until the exercise closes.",
        created_by=people["qa"],
    )
    exercise_files_add(exercise=exercise, case_files=files)
    participants = [people[f"inspector{i}"] for i in range(1, 5)]
    participants_add(exercise=exercise, users=participants, added_by=people["qa"])
    for case_file in files:
        primary = Examination.objects.primary().get(case_file=case_file)
        answers = {a.question.code: a for a in primary.answers.select_related("question")}
        for person in participants:
            examination = exercise_examination_open(exercise=exercise, case_file=case_file, examiner=person)
            # The exercise examines on the inspection's current version, which may be newer than the primary's.
            questions = _questions(examination.question_set)
            values = _noisy_answers(case_file, questions, answers, rng)
            answers_record_new(examination=examination, values=values, user=person, source="demo")
            # One the demo's answers leave incomplete stays in progress: results count submitted ones only.
            with contextlib.suppress(ExaminationIncomplete):
                examination_submit(examination=examination, user=person)
    return exercise


@transaction.atomic
def add_demo_quality(*, inspection: Inspection, people: dict, rng: random.Random) -> None:
    """Dip reviews by the QA lead of about two thirds of the dipped files already submitted
    (some amended), two more in progress; an internal exercise of four files examined by the
    four inspectors; an external exercise set up with its files, awaiting CPS participants."""
    dipped = list(
        Examination.objects.primary()
        .submitted()
        .filter(case_file__inspection=inspection, case_file__in_dip=True)
        .select_related("case_file__inspection", "question_set")
        .order_by("case_file__urn")
    )
    rng.shuffle(dipped)
    to_complete = len(dipped) * 2 // 3
    questions = _questions(inspection.question_set)
    for i, primary in enumerate(dipped[: to_complete + 2]):
        _review(primary, people["qa"], questions, rng, complete=i < to_complete)

    submitted = list(
        CaseFile.objects.filter(
            inspection=inspection, examinations__kind=Examination.Kind.PRIMARY, examinations__status="submitted"
        )
        .in_sample()
        .order_by("urn")
    )
    chosen = rng.sample(submitted, min(4, len(submitted)))
    _exercise(inspection, people, chosen, rng)
    external = Exercise.objects.create(
        inspection=inspection,
        name="External consistency exercise with CPS colleagues",
        kind=Exercise.Kind.EXTERNAL,
        closes_on=timezone.localdate() + datetime.timedelta(days=28),
        instructions="CPS participants sign in with the temporary accounts the QA lead gives them.",
        created_by=people["qa"],
    )
    rest = [f for f in submitted if f not in chosen]
    exercise_files_add(exercise=external, case_files=rng.sample(rest, min(3, len(rest))))
