"""Writes of quality assurance: dip reviews and consistency exercises.

Answers change only through casefiles.services (answer_save, answers_record_new), so an
amendment of an inspector's answer keeps both values in the answer's history."""

from django.db import transaction
from django.utils import timezone

from casefiles.models import Answer, Examination
from casefiles.services import (
    ExaminationIncomplete,
    QuestionDoesNotApply,
    StaleAnswer,
    answer_save,
    answers_no_longer_applying,
    answers_record_new,
    examination_open,
    examination_submit,
    submission_problems,
)
from questionset.models import Question
from questionset.rules import applicable_codes

from .models import DipReview, ReviewItem
from .reviewing import Verdict, qa_applicability

AMENDMENT = "qa_amendment"


class ReviewRefused(Exception):
    pass


class ReviewIncomplete(Exception):
    """The review cannot be completed yet: question code → what is missing. Nothing was written."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(f"{len(problems)} question(s) need attention before the review can be completed")


def _questions(examination: Examination) -> list[Question]:
    return list(
        Question.objects.filter(question_set=examination.question_set)
        .select_related("section")
        .prefetch_related("options")
        .order_by("order")
    )


def review_items_sync(review: DipReview) -> dict[str, ReviewItem]:
    """Make the review cover every question that applies given the inspector's answers or
    the QA lead's, with the inspector's answers as they now stand. Returns code → item."""
    primary = review.examination
    questions = _questions(primary)
    case_file = primary.case_file
    answers = {a.question_id: a for a in Answer.objects.filter(examination=primary)}
    inspector_values = {q.code: answers[q.pk].value for q in questions if q.pk in answers}
    inspector_applies = applicable_codes(questions, case_file.attributes, inspector_values)
    items = {i.question.code: i for i in review.items.select_related("question")}
    for question in questions:
        # Each pass may add a follow-up whose own answer routes the questions after it.
        applies_for_qa = qa_applicability(questions, case_file, items)
        item = items.get(question.code)
        asked = question.code in inspector_applies
        if not asked and question.code not in applies_for_qa:
            if item is not None and not item.inspector_value:
                item.delete()
                del items[question.code]
            continue
        answer = answers.get(question.pk)
        snapshot = {
            "asked": asked,
            "inspector_value": answer.value if answer and asked else "",
            "inspector_comment": answer.comment if answer and asked else "",
            "inspector_version": answer.version if answer else 0,
        }
        if item is None:
            items[question.code] = ReviewItem.objects.create(review=review, question=question, agrees=asked, **snapshot)
        elif any(getattr(item, k) != v for k, v in snapshot.items()):
            # The inspector changed their answers (returned and resubmitted): the QA lead's
            # verdict stands, but an agreed change must be confirmed again against the new answer.
            for key, value in snapshot.items():
                setattr(item, key, value)
            if not asked or (not item.agrees and item.qa_value == item.inspector_value):
                item.agrees = asked and item.qa_value == item.inspector_value
            if item.agrees:
                item.qa_value, item.reason = "", ""
            item.amend = False
            item.save(update_fields=[*snapshot, "agrees", "qa_value", "reason", "amend"])
    return items


@transaction.atomic
def review_start(*, examination: Examination, reviewer) -> DipReview:
    """Start (or resume) the dip review of a file's submitted primary examination. Opens the
    QA lead's dip examination too: from then on the file stays in the dip sample."""
    primary = Examination.objects.select_for_update().select_related("case_file__inspection").get(pk=examination.pk)
    if primary.kind != Examination.Kind.PRIMARY or not primary.case_file.in_dip:
        raise ReviewRefused(f"{primary.case_file.urn} is not in the dip sample.")
    existing = DipReview.objects.filter(examination=primary).select_related("reviewer").first()
    if existing is not None:
        if existing.reviewer_id != reviewer.pk and not existing.is_complete:
            name = existing.reviewer.get_full_name() or existing.reviewer.username
            raise ReviewRefused(f"{name} is already reviewing {primary.case_file.urn}.")
        return existing
    if primary.status != Examination.Status.SUBMITTED:
        raise ReviewRefused(f"The examination of {primary.case_file.urn} has not been submitted yet.")
    dip = examination_open(case_file=primary.case_file, examiner=reviewer, kind=Examination.Kind.DIP)
    if dip.question_set_id != primary.question_set_id:
        # The QA lead answers the version the inspector answered, so the two compare question by question.
        dip.question_set_id = primary.question_set_id
        dip.save(update_fields=["question_set", "updated_at"])
    review = DipReview.objects.create(examination=primary, dip_examination=dip, reviewer=reviewer)
    review_items_sync(review)
    return review


def _editable(review: DipReview, user) -> DipReview:
    review = DipReview.objects.select_for_update().select_related("examination__case_file").get(pk=review.pk)
    if review.is_complete:
        raise ReviewRefused("This review has been completed and can no longer change.")
    if review.reviewer_id != user.pk:
        raise ReviewRefused("Only the QA lead who started this review can change it.")
    if review.examination.status != Examination.Status.SUBMITTED:
        raise ReviewRefused(
            "The examination has been returned to its inspector: the review waits for it to be resubmitted."
        )
    return review


@transaction.atomic
def review_items_save(
    *, review: DipReview, verdicts: dict[str, Verdict], user, feedback: str | None = None
) -> DipReview:
    """Record the QA lead's verdicts (question code → Verdict, already parsed and valid)."""
    review = _editable(review, user)
    items = review_items_sync(review)
    for code, verdict in verdicts.items():
        item = items.get(code)
        if item is None:
            continue
        item.agrees = verdict.agrees and item.asked
        item.qa_value = "" if item.agrees else verdict.qa_value
        item.reason = "" if item.agrees else verdict.reason
        item.amend = not item.agrees and verdict.amend
        item.save(update_fields=["agrees", "qa_value", "reason", "amend"])
    if feedback is not None:
        review.feedback = feedback.strip()
        review.save(update_fields=["feedback"])
    review_items_sync(review)
    return review


def review_problems(review: DipReview, items: dict[str, ReviewItem]) -> dict[str, str]:
    """What stops the review being completed, by question code, in question order."""
    primary = review.examination
    questions = _questions(primary)
    applies_for_qa = qa_applicability(questions, primary.case_file, items)
    problems = {}
    for question in questions:
        item = items.get(question.code)
        if item is None or item.agrees:
            continue
        if question.code not in applies_for_qa:
            continue  # ruled out by the QA lead's own answers: their answer is "not asked"
        if question.required and not item.qa_value:
            problems[question.code] = "Give your answer"
        elif not item.reason:
            problems[question.code] = "Give the reason you disagree"
    return problems


def _record_dip_answers(review: DipReview, items: dict[str, ReviewItem], user) -> None:
    """The QA lead's own examination: their answer to every question that applies given it."""
    dip = review.dip_examination
    questions = _questions(dip)
    applies_for_qa = qa_applicability(questions, review.examination.case_file, items)
    values = {}
    for question in questions:
        item = items.get(question.code)
        if item is None or question.code not in applies_for_qa:
            continue
        comment = item.inspector_comment if item.agrees else item.reason
        if item.qa_answer or comment:
            values[question] = (item.qa_answer, comment)
    answers_record_new(examination=dip, values=values, user=user, source="qa_review")
    try:
        examination_submit(examination=dip, user=user)
    except ExaminationIncomplete as incomplete:
        raise ReviewIncomplete(incomplete.problems)


def _amend_primary(review: DipReview, items: dict[str, ReviewItem], user) -> int:
    """Agreed changes: the inspector's answers become the QA lead's, with history."""
    primary = review.examination
    amended = 0
    problems = {}
    for item in sorted(items.values(), key=lambda i: i.question.order):
        if not item.amend or item.agrees:
            continue
        try:
            answer_save(
                examination=primary,
                question=item.question,
                value=item.qa_value,
                comment=item.reason,
                user=user,
                expected_version=item.inspector_version,
                source=AMENDMENT,
            )
            amended += 1
        except StaleAnswer:
            problems[item.question.code] = "The inspector's answer changed since you opened the review: reload it"
        except QuestionDoesNotApply:
            problems[item.question.code] = "Amend the earlier answer that makes this question apply too"
    for answer in answers_no_longer_applying(primary):
        answer_save(
            examination=primary,
            question=answer.question,
            value="",
            comment="",
            user=user,
            expected_version=answer.version,
            source=AMENDMENT,
        )
    for code, problem in submission_problems(primary).items():
        problems.setdefault(
            code,
            f"Your amendments make this question apply to the inspector's examination: "
            f"mark your answer as an agreed change too ({problem.lower()})",
        )
    if problems:
        raise ReviewIncomplete(problems)
    return amended


def _complete(review: DipReview, user) -> DipReview:
    items = review_items_sync(review)
    problems = review_problems(review, items)
    if problems:
        raise ReviewIncomplete(problems)
    applies_for_qa = qa_applicability(_questions(review.examination), review.examination.case_file, items)
    for item in items.values():
        if item.question.code not in applies_for_qa and item.inspector_value and item.agrees:
            # The QA lead's own answers rule this question out: their answer is "not asked".
            item.agrees, item.qa_value = False, ""
            item.reason = item.reason or "Does not apply given the QA lead's answers."
            item.save(update_fields=["agrees", "qa_value", "reason"])
    _record_dip_answers(review, items, user)
    amended = _amend_primary(review, items, user)
    review.status = DipReview.Status.AMENDED if amended else DipReview.Status.CONFIRMED
    review.completed_at = timezone.now()
    review.save(update_fields=["status", "completed_at"])
    return review


def review_complete(
    *, review: DipReview, user, verdicts: dict[str, Verdict] | None = None, feedback: str | None = None
) -> DipReview:
    """Save the QA lead's verdicts, then complete the review: record their own answers as the
    dip examination, apply the agreed changes to the primary examination, and set the
    outcome (amended when any answer changed, confirmed otherwise).

    The completion is all or nothing: on ReviewIncomplete only the verdicts are kept."""
    problems = None
    with transaction.atomic():
        review = review_items_save(review=review, verdicts=verdicts or {}, user=user, feedback=feedback)
        try:
            with transaction.atomic():
                review = _complete(review, user)
        except ReviewIncomplete as incomplete:
            problems = incomplete.problems
    if problems is not None:
        raise ReviewIncomplete(problems)
    return review
