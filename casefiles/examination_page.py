"""The examination page, one module for every examination answered question by question: an
inspector's primary examination (casefiles.views) and a participant's consistency examination
(quality.exercise_views). Each view gets its examination through its own access helper; the page
— saving posted answers one at a time, the 409 body of a stale autosave, the conflict shown
beside its question, the submit errors — is this code. (A QA lead's dip examination is answered
through the review page's verdicts, quality.reviewing, which parses values with the same
casefiles.examining functions.)"""

from dataclasses import dataclass, field

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from questionset.models import Question, QuestionSet

from .examining import PostedAnswer, SectionView, answer_label, parse_posted, progress_of, section_views
from .models import Answer, Examination
from .services import SaveAttempt, answer_try_save

STALE_MESSAGE = "This answer was changed elsewhere since you opened the page. Nothing was saved."


def page_questions(examination: Examination) -> list[Question]:
    return list(Question.objects.in_page_order(examination.question_set_id).with_options())


def page_answers(examination: Examination) -> dict[str, Answer]:
    answers = Answer.objects.filter(examination=examination).select_related("question", "case_example")
    return {a.question.code: a for a in answers}


@dataclass
class PostedResult:
    answers: dict[str, Answer]
    errors: dict[str, str] = field(default_factory=dict)
    conflicts: dict[str, tuple[PostedAnswer, Answer | None]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.conflicts


def answers_save_posted(examination: Examination, questions: list[Question], post, user) -> PostedResult:
    """Save every answer in a POST (the page without JavaScript), each on its own: a stale
    one is kept aside as a conflict, never written over the stored answer."""
    result = PostedResult(page_answers(examination))
    for posted in parse_posted(questions, post):
        code = posted.question.code
        if posted.error:
            result.errors[code] = posted.error
            continue
        attempt = _save_posted(examination, posted, user)
        if attempt.saved:
            result.answers[code] = attempt.saved.answer
        elif attempt.stale:
            result.conflicts[code] = (posted, attempt.stored)
        else:
            result.errors[code] = attempt.refused
    return result


def _save_posted(examination: Examination, posted: PostedAnswer, user, **more) -> SaveAttempt:
    return answer_try_save(
        examination=examination,
        question=posted.question,
        value=posted.value,
        comment=posted.comment,
        user=user,
        expected_version=posted.expected_version,
        **more,
    )


def page_sections(
    examination: Examination,
    questions: list[Question],
    result: PostedResult | None = None,
    problems: dict[str, str] | None = None,
) -> list[SectionView]:
    """The page's sections, each question with its error or its conflict (both answers) beside it."""
    answers = result.answers if result else page_answers(examination)
    sections = section_views(questions, examination.case_file, answers)
    errors = {**(problems or {}), **(result.errors if result else {})}
    conflicts = result.conflicts if result else {}
    for view in (q for s in sections for q in s.questions):
        view.error = errors.get(view.question.code, "")
        if view.question.code in conflicts:
            posted, stored = conflicts[view.question.code]
            view.conflict, view.value, view.comment = stored, posted.value, posted.comment
            view.values, view.version = posted.value.split("|"), stored.version if stored else 0
    return sections


def examination_page(
    request: HttpRequest,
    template: str,
    examination: Examination,
    *,
    editable: bool,
    result: PostedResult | None = None,
    problems: dict[str, str] | None = None,
    **extra,
) -> HttpResponse:
    """Render the page (400 when it shows problems). `problems` are a refused submission's."""
    has_problems = bool(problems) or bool(result and not result.ok)
    sections = page_sections(examination, page_questions(examination), result, problems)
    context = {
        "case_file": examination.case_file,
        "examination": examination,
        "sections": sections,
        "progress": progress_of(sections),
        "has_problems": has_problems,
        "submitting": problems is not None,
        "editable": editable,
        **extra,
    }
    return render(request, template, context, status=400 if has_problems else 200)


# A question set version with answers is frozen (questionset.models.FrozenWithItsSet): its questions
# never change again, so each process keeps them after the first save instead of reading them
# (two queries) on every autosave. The key includes when the version was loaded and its checksum,
# so a new version, or a test database that reuses ids, never meets an old entry.
_FROZEN_QUESTIONS: dict[tuple, list[Question]] = {}


def _questions_key(question_set: QuestionSet) -> tuple:
    return (question_set.pk, question_set.checksum, question_set.loaded_at)


def _autosave_questions(examination: Examination) -> list[Question]:
    key = _questions_key(examination.question_set)
    questions = _FROZEN_QUESTIONS.get(key)
    if questions is None:
        questions = page_questions(examination)

        def keep() -> None:  # after commit an answer exists: the version is frozen
            if len(_FROZEN_QUESTIONS) > 20:
                _FROZEN_QUESTIONS.clear()
            _FROZEN_QUESTIONS[key] = questions

        transaction.on_commit(keep)
    return questions


def autosave_response(examination: Examination, code: str, post, user) -> JsonResponse:
    """Save one answer as it is made (static/js/examine.js): 200 with its new version, 400 when
    refused, 409 with the stored answer when someone changed it since the page read it."""
    questions = _autosave_questions(examination)
    question = next((q for q in questions if q.code == code), None)
    if question is None:
        raise Http404("No such question in this examination's question set.")
    posted = parse_posted([question], post)
    if not posted or posted[0].error:
        return JsonResponse({"error": posted[0].error if posted else "No answer was sent."}, status=400)
    attempt = _save_posted(examination, posted[0], user, questions=questions)
    if attempt.stale:
        return JsonResponse({"error": STALE_MESSAGE, "stored": _stored(question, attempt.stored)}, status=409)
    if attempt.refused:
        return JsonResponse({"error": attempt.refused}, status=400)
    answer = attempt.saved.answer
    return JsonResponse({"code": code, "version": answer.version, "saved_at": answer.updated_at.isoformat()})


def _stored(question: Question, stored: Answer | None) -> dict:
    if stored is None:  # saved against a version of an answer since deleted
        return {"value": "", "label": "(no answer)", "comment": "", "version": 0, "by": "", "at": ""}
    return {
        "value": stored.value,
        "label": answer_label(question, stored.value) or "(no answer)",
        "comment": stored.comment,
        "version": stored.version,
        "by": stored.updated_by.get_full_name() or stored.updated_by.username,
        "at": stored.updated_at.isoformat(),
    }
