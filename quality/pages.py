"""Context for the quality pages that need more than a query or two."""

from casefiles.access import may_view_primary_examination
from casefiles.models import Examination
from questionset.models import Question

from .access import may_edit_review
from .models import DipReview, ReviewItem
from .reconciling import compared_rows
from .reviewing import Verdict, item_sections
from .services import open_query_problems


def review_questions(review: DipReview) -> list[Question]:
    return list(Question.objects.in_page_order(review.examination.question_set_id).with_options())


def review_context(
    review: DipReview,
    user,
    verdicts: dict[str, Verdict] | None = None,
    feedback: str | None = None,
    problems: dict[str, str] | None = None,
) -> dict:
    """The review page. With verdicts (a refused POST), they are shown as posted, unsaved;
    problems (question code → message) are shown beside their questions and in a summary."""
    examination = review.examination
    questions = review_questions(review)
    items: dict[str, ReviewItem] = {i.question.code: i for i in review.items.select_related("question")}
    for code, verdict in (verdicts or {}).items():
        item = items[code]
        item.agrees, item.qa_value, item.reason, item.amend = (
            verdict.agrees,
            verdict.qa_value,
            verdict.reason,
            verdict.amend,
        )
    sections = item_sections(questions, examination.case_file, items)
    problems = problems or {}
    for view in (v for s in sections for v in s.items):
        view.error = problems.get(view.code, "")
    waiting = examination.status != Examination.Status.SUBMITTED
    return {
        "review": review,
        "examination": examination,
        "case_file": examination.case_file,
        "questions": questions,
        "items": items,
        "sections": sections,
        "disagreements": sum(s.disagreements for s in sections),
        "changed": sum(1 for i in items.values() if i.amend and not i.agrees),
        "editable": may_edit_review(user, review),
        "may_view_examination": may_view_primary_examination(user, examination.case_file),
        "waiting": waiting and not review.is_complete,
        "feedback": review.feedback if feedback is None else feedback,
        "problems": problems,
        "open_query_codes": set(open_query_problems(examination)),
    }


def blind_review_context(
    review: DipReview, user, problems: dict[str, str] | None = None, feedback: str | None = None
) -> dict:
    """The blind review's comparison page; problems (code → message) beside their rows."""
    examination = review.examination
    rows = compared_rows(review, problems) if not review.is_answering_blind else []
    waiting = examination.status != Examination.Status.SUBMITTED
    return {
        "review": review,
        "examination": examination,
        "case_file": examination.case_file,
        "urn": examination.case_file.urn,
        "rows": rows,
        "differences": sum(1 for r in rows if r.differs),
        "undecided": sum(1 for r in rows if r.differs and not r.item.resolution),
        "disagreements": sum(1 for r in rows if r.differs),
        "changed": sum(1 for r in rows if r.item.amend),
        "editable": may_edit_review(user, review),
        "waiting": waiting and not review.is_complete,
        "feedback": review.feedback if feedback is None else feedback,
        "problems": problems or {},
    }
