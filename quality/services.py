"""Writes of quality assurance: dip reviews and consistency exercises.

Answers change only through casefiles.services (answer_save, answers_record_new), so an
amendment of an inspector's answer keeps both values in the answer's history."""

import datetime
import random
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from casefiles.access import oversees
from casefiles.models import Answer, CaseFile, Examination, Inspection, QuestionSetAdoption
from casefiles.services import (
    ExaminationIncomplete,
    QuestionDoesNotApply,
    answer_save,
    answer_try_save,
    answers_clear_no_longer_applying,
    answers_record_new,
    examination_open,
    examination_submit,
    submission_problems,
)
from questionset.models import Question
from questionset.rules import applicable_codes

from .models import (
    AnswerQuery,
    DipReview,
    Exercise,
    ExerciseExamination,
    GuidanceRead,
    Participant,
    QueryMessage,
    ReviewItem,
    ReviewPolicy,
)
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
    return list(Question.objects.in_page_order(examination.question_set_id).with_options())


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


def reviews_are_blind(inspection: Inspection) -> bool:
    """Blind unless the QA lead chose open reviews for this inspection."""
    policy = ReviewPolicy.objects.filter(inspection=inspection).first()
    return policy.blind if policy else True


@transaction.atomic
def review_policy_set(*, inspection: Inspection, blind: bool, user) -> ReviewPolicy:
    """Blind or open dip reviews from now on; reviews already started keep their way."""
    policy, _ = ReviewPolicy.objects.update_or_create(
        inspection=inspection, defaults={"blind": blind, "changed_by": user}
    )
    return policy


@transaction.atomic
def review_start(*, examination: Examination, reviewer, blind: bool | None = None) -> DipReview:
    """Start (or resume) the dip review of a file's submitted primary examination. Opens the
    QA lead's dip examination too: from then on the file stays in the dip sample.

    Blind (the inspection's policy unless `blind` says): the QA lead first answers the file
    on the examination page without seeing the inspector's answers; the comparison is made
    when they submit (review_blind_compare)."""
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
    if blind is None:
        blind = reviews_are_blind(primary.case_file.inspection)
    review = DipReview.objects.create(examination=primary, dip_examination=dip, reviewer=reviewer, blind=blind)
    if not blind:
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


def _qa_answer_adopt(
    primary: Examination, item: ReviewItem, *, comment: str, user, source: str, does_not_apply: str
) -> str:
    """The QA lead's answer becomes the inspector's (theirs stays in the history), unless the
    inspector changed it since the review read it; "" or the problem to show beside the question."""
    attempt = answer_try_save(
        examination=primary,
        question=item.question,
        value=item.qa_value,
        comment=comment,
        user=user,
        expected_version=item.inspector_version,
        source=source,
    )
    if attempt.stale:
        return "The inspector's answer changed since you opened the review: reload the page"
    if attempt.refused:
        return does_not_apply
    return ""


def _amend_primary(review: DipReview, items: dict[str, ReviewItem], user) -> int:
    """Agreed changes: the inspector's answers become the QA lead's, with history."""
    primary = review.examination
    amended = 0
    problems = {}
    for item in sorted(items.values(), key=lambda i: i.question.order):
        if not item.amend or item.agrees:
            continue
        problem = _qa_answer_adopt(
            primary,
            item,
            comment=item.reason,
            user=user,
            source=AMENDMENT,
            does_not_apply="Amend the earlier answer that makes this question apply too",
        )
        if problem:
            problems[item.question.code] = problem
        else:
            amended += 1
    answers_clear_no_longer_applying(examination=primary, user=user, source=AMENDMENT)
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
    problems = {**open_query_problems(review.examination), **review_problems(review, items)}
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
    if review.blind:
        return blind_review_complete(review=review, user=user, feedback=feedback)
    return _open_review_complete(review=review, user=user, verdicts=verdicts, feedback=feedback)


def _open_review_complete(
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


class ExerciseRefused(Exception):
    pass


@transaction.atomic
def exercise_create(
    *, inspection: Inspection, name: str, kind: str, closes_on: datetime.date, instructions: str, created_by
) -> Exercise:
    return Exercise.objects.create(
        inspection=inspection,
        name=name.strip(),
        kind=kind,
        closes_on=closes_on,
        instructions=instructions.strip(),
        created_by=created_by,
    )


def _answered_files(exercise: Exercise) -> set[int]:
    return set(
        Answer.objects.filter(examination__exercise_link__exercise=exercise)
        .exclude(value="")
        .values_list("examination__case_file_id", flat=True)
    )


@transaction.atomic
def exercise_files_add(*, exercise: Exercise, case_files: list[CaseFile]) -> int:
    """Add sampled files of the exercise's inspection. Returns how many were new."""
    foreign = [f.urn for f in case_files if f.inspection_id != exercise.inspection_id]
    if foreign:
        raise ExerciseRefused(f"Not files of this inspection: {', '.join(foreign)}.")
    before = set(exercise.files.values_list("pk", flat=True))
    exercise.files.add(*case_files)
    return len({f.pk for f in case_files} - before)


@transaction.atomic
def exercise_file_remove(*, exercise: Exercise, case_file: CaseFile) -> None:
    """Take a file out, only while nobody has answered it in this exercise."""
    if case_file.pk in _answered_files(exercise):
        raise ExerciseRefused(f"Participants have answered {case_file.urn}, so it stays in the exercise.")
    exercise.files.remove(case_file)


def exercise_files_pick(*, exercise: Exercise, count: int, seed: int) -> list[CaseFile]:
    """`count` sampled files not yet in the exercise, at random (seeded), one Area at a time so
    that as many Areas as possible are represented."""
    pool = list(
        CaseFile.objects.filter(inspection=exercise.inspection)
        .in_sample()
        .exclude(pk__in=exercise.files.values("pk"))
        .order_by("urn")
    )
    rng = random.Random(f"exercise:{exercise.pk}:{seed}")
    rng.shuffle(pool)
    by_area: dict[int, list[CaseFile]] = {}
    for case_file in pool:
        by_area.setdefault(case_file.area_id, []).append(case_file)
    chosen: list[CaseFile] = []
    queues = list(by_area.values())
    while len(chosen) < count and any(queues):
        for queue in queues:
            if queue and len(chosen) < count:
                chosen.append(queue.pop())
    return chosen


@transaction.atomic
def participants_add(*, exercise: Exercise, users: list, added_by) -> int:
    """Add members of the inspection team. Returns how many were new."""
    existing = set(exercise.participants.values_list("user_id", flat=True))
    new = [u for u in users if u.pk not in existing]
    Participant.objects.bulk_create(Participant(exercise=exercise, user=u, added_by=added_by) for u in new)
    return len(new)


@transaction.atomic
def temporary_participant_create(
    *, exercise: Exercise, first_name: str, last_name: str, organisation: str, expires_at: datetime.datetime, added_by
) -> tuple[Participant, str]:
    """A temporary account for an external participant: no role, this exercise only, switched
    off at expires_at. Returns the participant and the password, which is shown once."""
    if exercise.kind != Exercise.Kind.EXTERNAL:
        raise ExerciseRefused("Temporary accounts are for external exercises only.")
    if expires_at <= timezone.now():
        raise ExerciseRefused("The expiry must be in the future.")
    User = get_user_model()
    stem = f"ext{exercise.pk}-{slugify(first_name)[:12]}{slugify(last_name)[:1]}".rstrip("-")
    username, n = stem, 2
    while User.objects.filter(username=username).exists():
        username, n = f"{stem}{n}", n + 1
    password = secrets.token_urlsafe(12)
    user = User.objects.create_user(
        username, password=password, first_name=first_name.strip(), last_name=last_name.strip()
    )
    participant = Participant.objects.create(
        exercise=exercise,
        user=user,
        is_temporary=True,
        organisation=organisation.strip(),
        expires_at=expires_at,
        added_by=added_by,
    )
    return participant, password


@transaction.atomic
def participant_remove(*, participant: Participant) -> None:
    """Take a participant out; their answers stay (and keep counting) once given. A temporary
    account is switched off at once."""
    if (
        Answer.objects.filter(
            examination__exercise_link__exercise=participant.exercise, examination__examiner=participant.user
        )
        .exclude(value="")
        .exists()
    ):
        raise ExerciseRefused(f"{participant.user.username} has answered questions, so they stay in the exercise.")
    if participant.is_temporary:
        get_user_model().objects.filter(pk=participant.user_id).update(is_active=False)
    participant.delete()


def temporary_accounts_expire(*, now: datetime.datetime | None = None) -> int:
    """Switch off every temporary account past its expiry (a conditional UPDATE, so running
    it twice does nothing more). Returns how many were switched off."""
    now = now or timezone.now()
    expired = Participant.objects.filter(is_temporary=True, expires_at__lte=now).values("user_id")
    return get_user_model().objects.filter(pk__in=expired, is_active=True).update(is_active=False)


@transaction.atomic
def exercise_examination_open(*, exercise: Exercise, case_file: CaseFile, examiner) -> Examination:
    """The participant's own consistency examination of a file, for this exercise."""
    examination = examination_open(case_file=case_file, examiner=examiner, kind=Examination.Kind.CONSISTENCY)
    link, _ = ExerciseExamination.objects.get_or_create(examination=examination, defaults={"exercise": exercise})
    if link.exercise_id != exercise.pk:
        raise ExerciseRefused(f"You examined {case_file.urn} in the exercise “{link.exercise}” already.")
    return examination


# Queries: a conversation per answer ------------------------------------------------------

QUERY_CHANGE = "query_change"


class QueryRefused(Exception):
    pass


@transaction.atomic
def query_open(*, examination: Examination, question: Question, user, text: str) -> AnswerQuery:
    """Open a query on one answer of a primary examination (the QA lead or the lead)."""
    if not oversees(user, examination.case_file.inspection_id):
        raise QueryRefused("Only the QA lead or the lead inspector can open a query.")
    if examination.kind != Examination.Kind.PRIMARY or question.question_set_id != examination.question_set_id:
        raise QueryRefused("Queries are on the answers of a file's own examination.")
    if not text.strip():
        raise QueryRefused("Say what the query is about.")
    if AnswerQuery.objects.filter(examination=examination, question=question, status=AnswerQuery.Status.OPEN).exists():
        raise QueryRefused(f"A query on {question.code} is open already: carry on there.")
    query = AnswerQuery.objects.create(examination=examination, question=question, opened_by=user)
    QueryMessage.objects.create(query=query, kind=QueryMessage.Kind.OPENED, author=user, text=text.strip())
    return query


def _open_query(query: AnswerQuery) -> AnswerQuery:
    query = AnswerQuery.objects.select_for_update().select_related("examination", "question").get(pk=query.pk)
    if not query.is_open:
        raise QueryRefused("This query has been closed.")
    return query


@transaction.atomic
def query_reply(*, query: AnswerQuery, user, text: str, value: str | None = None) -> QueryMessage:
    """A reply; with `value` (the examination's inspector only), the answer changes too,
    through answer_save, so the answer's history keeps both values."""
    query = _open_query(query)
    examination = query.examination
    if value is None:
        if not (oversees(user, examination.case_file.inspection_id) or examination.examiner_id == user.pk):
            raise QueryRefused("Only the inspector, the QA lead and the lead inspector take part in a query.")
        if not text.strip():
            raise QueryRefused("Write your reply.")
        return QueryMessage.objects.create(query=query, kind=QueryMessage.Kind.REPLY, author=user, text=text.strip())
    if examination.examiner_id != user.pk:
        raise QueryRefused("Only the inspector who gave the answer changes it.")
    answer = Answer.objects.filter(examination=examination, question=query.question).first()
    old_value = answer.value if answer else ""
    if value == old_value:
        raise QueryRefused("That is the answer already: reply instead, saying why it stands.")
    try:
        answer_save(
            examination=examination,
            question=query.question,
            value=value,
            comment=text.strip() or (answer.comment if answer else ""),
            user=user,
            expected_version=answer.version if answer else 0,
            source=QUERY_CHANGE,
        )
    except QuestionDoesNotApply as refused:
        raise QueryRefused(str(refused))
    return QueryMessage.objects.create(
        query=query,
        kind=QueryMessage.Kind.CHANGED,
        author=user,
        text=text.strip(),
        old_value=old_value,
        new_value=value,
    )


@transaction.atomic
def query_close(*, query: AnswerQuery, user, text: str = "") -> AnswerQuery:
    """Close a query: only whoever opened it."""
    query = _open_query(query)
    if query.opened_by_id != user.pk:
        raise QueryRefused("Only the person who opened the query closes it.")
    QueryMessage.objects.create(query=query, kind=QueryMessage.Kind.CLOSED, author=user, text=text.strip())
    query.status, query.closed_at = AnswerQuery.Status.CLOSED, timezone.now()
    query.save(update_fields=["status", "closed_at"])
    return query


def open_query_problems(examination: Examination) -> dict[str, str]:
    """Open queries on an examination's answers, by question code: they hold up the sign-off."""
    codes = AnswerQuery.objects.filter(examination=examination, status=AnswerQuery.Status.OPEN).values_list(
        "question__code", flat=True
    )
    return dict.fromkeys(sorted(codes), "A query on this answer is still open: it must be closed first")


def guidance_mark_read(*, adoption: QuestionSetAdoption, user) -> GuidanceRead:
    """The inspector has read what changed in the adopted version: it leaves their home page."""
    read, _ = GuidanceRead.objects.get_or_create(user=user, adoption=adoption)
    return read


# Blind reviews: answer first, then reconcile ----------------------------------------------

QA_RECONCILE = "qa_reconcile"


class Decision:
    STANDS = "stands"
    ADOPT = "adopted"
    QUERY = "query"


@transaction.atomic
def review_blind_compare(*, review: DipReview) -> dict[str, ReviewItem]:
    """Once the QA lead has submitted their blind answers: one item per question either of
    them answered, the inspector's answer (as it stands now) beside the QA lead's, agreeing
    where they are the same. Items already reconciled are left as they are."""
    primary, dip = review.examination, review.dip_examination
    questions = _questions(primary)
    case_file = primary.case_file
    inspector = {a.question_id: a for a in Answer.objects.filter(examination=primary)}
    qa = {a.question_id: a for a in Answer.objects.filter(examination=dip)}
    inspector_values = {q.code: inspector[q.pk].value for q in questions if q.pk in inspector}
    asked = applicable_codes(questions, case_file.attributes, inspector_values)
    items = {i.question.code: i for i in review.items.select_related("question")}
    for question in questions:
        mine, theirs = inspector.get(question.pk), qa.get(question.pk)
        inspector_value = mine.value if mine and question.code in asked else ""
        qa_value = theirs.value if theirs else ""
        if not inspector_value and not qa_value:
            continue
        item = items.get(question.code)
        if item is not None and item.resolution:
            continue
        fields = {
            "asked": question.code in asked,
            "inspector_value": inspector_value,
            "inspector_comment": mine.comment if mine and inspector_value else "",
            "inspector_version": mine.version if mine else 0,
            "agrees": inspector_value == qa_value,
            "qa_value": "" if inspector_value == qa_value else qa_value,
            "reason": theirs.comment if theirs and inspector_value != qa_value else "",
        }
        if item is None:
            items[question.code] = ReviewItem.objects.create(review=review, question=question, **fields)
        else:
            for key, value in fields.items():
                setattr(item, key, value)
            item.save(update_fields=list(fields))
    return items


@transaction.atomic
def review_blind_submit(*, review: DipReview, user) -> DipReview:
    """The QA lead submits their blind answers (ExaminationIncomplete lists what is missing);
    the comparison with the inspector's answers is made at once."""
    review = _editable(review, user)
    if not review.blind:
        raise ReviewRefused("This review is open, not blind.")
    examination_submit(examination=review.dip_examination, user=user)
    review.dip_examination.refresh_from_db()
    review_blind_compare(review=review)
    return review


@transaction.atomic
def review_reconcile(*, review: DipReview, user, decisions: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Reconcile differences of a blind review: question code → (decision, text). The
    inspector's answer stands (text: why), the QA answer is adopted (through answer_save,
    with history; text: the comment), or a query is opened on the answer (text: the query).
    Returns problems by code; the other decisions are kept."""
    review = _editable(review, user)
    if review.is_answering_blind:
        raise ReviewRefused("Submit your own answers first: the comparison comes after.")
    items = {i.question.code: i for i in review.items.select_related("question")}
    problems = {}
    for code, (decision, text) in decisions.items():
        item = items.get(code)
        if item is None or item.agrees or item.resolution:
            continue
        text = text.strip()
        if decision == Decision.STANDS:
            item.reason = text or item.reason
        elif decision == Decision.ADOPT:
            problem = _qa_answer_adopt(
                review.examination,
                item,
                comment=text or item.reason,
                user=user,
                source=QA_RECONCILE,
                does_not_apply="Adopt the earlier answer that makes this question apply first",
            )
            if problem:
                problems[code] = problem
                continue
            item.amend = True
        elif decision == Decision.QUERY:
            if not text:
                problems[code] = "Write the query for the inspector"
                continue
            try:
                query_open(examination=review.examination, question=item.question, user=user, text=text)
            except QueryRefused as refused:
                problems[code] = str(refused)
                continue
        else:
            continue
        item.resolution = decision
        item.save(update_fields=["reason", "amend", "resolution"])
    return problems


def blind_review_complete(*, review: DipReview, user, feedback: str | None = None) -> DipReview:
    """Complete a blind review: every difference reconciled, no query on the file still open,
    and the inspector's examination complete after any adopted answers."""
    with transaction.atomic():
        review = _editable(review, user)
        if review.is_answering_blind:
            raise ReviewRefused("Submit your own answers first: the comparison comes after.")
        if feedback is not None:
            review.feedback = feedback.strip()
            review.save(update_fields=["feedback"])
        items = list(review.items.select_related("question"))
        problems = {
            i.question.code: "Decide whether the inspector's answer stands, adopt yours, or open a query"
            for i in items
            if not i.agrees and not i.resolution
        }
        problems.update(open_query_problems(review.examination))
        for code, problem in submission_problems(review.examination).items():
            problems.setdefault(code, f"The inspector's examination now lacks this answer: {problem.lower()}")
        if not problems:
            adopted = any(i.resolution == Decision.ADOPT for i in items)
            review.status = DipReview.Status.AMENDED if adopted else DipReview.Status.CONFIRMED
            review.completed_at = timezone.now()
            review.save(update_fields=["status", "completed_at"])
            return review
    order = {q.code: i for i, q in enumerate(_questions(review.examination))}
    raise ReviewIncomplete(dict(sorted(problems.items(), key=lambda kv: order.get(kv[0], 0))))
