"""Saving a consistency examination's answers, the same way the examination page saves a
primary one (casefiles.views): one answer at a time through answer_save, a stale save
refused and shown, never overwritten."""

from dataclasses import dataclass, field

from casefiles.examining import SectionView, parse_posted, section_views
from casefiles.models import Answer, Examination
from casefiles.services import ExaminationLocked, QuestionDoesNotApply, StaleAnswer, answer_save
from questionset.models import Question


def examination_questions(examination: Examination) -> list[Question]:
    return list(
        Question.objects.filter(question_set=examination.question_set)
        .select_related("section")
        .prefetch_related("options")
        .order_by("order")
    )


def examination_answers(examination: Examination) -> dict[str, Answer]:
    return {a.question.code: a for a in Answer.objects.filter(examination=examination).select_related("question")}


@dataclass
class PostedResult:
    answers: dict[str, Answer]
    errors: dict[str, str] = field(default_factory=dict)
    conflicts: dict = field(default_factory=dict)  # code → (posted, stored answer)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.conflicts


def answers_save_posted(examination: Examination, questions: list[Question], post, user) -> PostedResult:
    """Save every answer in a POST (the page without JavaScript), each on its own."""
    result = PostedResult(examination_answers(examination))
    for posted in parse_posted(questions, post):
        try:
            if posted.error:
                raise QuestionDoesNotApply(posted.error)
            result.answers[posted.question.code] = answer_save(
                examination=examination,
                question=posted.question,
                value=posted.value,
                comment=posted.comment,
                user=user,
                expected_version=posted.expected_version,
                source="examiner",
            ).answer
        except StaleAnswer as stale:
            result.conflicts[posted.question.code] = (posted, stale.answer)
        except (QuestionDoesNotApply, ExaminationLocked) as refused:
            result.errors[posted.question.code] = str(refused)
    return result


def sections_with_problems(
    examination: Examination, questions: list[Question], result: PostedResult | None = None, problems=None
) -> list[SectionView]:
    """The page's sections, with each question's error or conflict shown beside it."""
    answers = result.answers if result else examination_answers(examination)
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
