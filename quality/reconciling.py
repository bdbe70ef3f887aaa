"""The blind review's comparison page: the inspector's answers beside the QA lead's, the
differences first in mind, and the QA lead's posted decisions parsed one question at a time."""

from dataclasses import dataclass

from casefiles.examining import answer_label

from .models import AnswerQuery, DipReview, ReviewItem
from .services import Decision

DECISIONS = {Decision.STANDS, Decision.ADOPT, Decision.QUERY}


@dataclass
class ComparedRow:
    item: ReviewItem
    open_query: bool = False
    error: str = ""

    @property
    def code(self) -> str:
        return self.item.question.code

    @property
    def differs(self) -> bool:
        return not self.item.agrees

    @property
    def inspector_label(self) -> str:
        if not self.item.asked and not self.item.inspector_value:
            return "Not asked"
        return answer_label(self.item.question, self.item.inspector_value) or "(no answer)"

    @property
    def qa_label(self) -> str:
        value = self.item.inspector_value if self.item.agrees else self.item.qa_value
        return answer_label(self.item.question, value) or "(not answered: it did not apply)"


def compared_rows(review: DipReview, problems: dict[str, str] | None = None) -> list[ComparedRow]:
    items = review.items.select_related("question__section").prefetch_related("question__options")
    open_codes = set(
        AnswerQuery.objects.filter(examination=review.examination, status=AnswerQuery.Status.OPEN).values_list(
            "question__code", flat=True
        )
    )
    problems = problems or {}
    return [
        ComparedRow(item, item.question.code in open_codes, problems.get(item.question.code, ""))
        for item in sorted(items, key=lambda i: i.question.order)
    ]


def parse_decisions(post) -> dict[str, tuple[str, str]]:
    """decision-CODE (stands, adopted or query) with text-CODE, for each difference decided."""
    decisions = {}
    for key, value in post.items():
        if key.startswith("decision-") and value in DECISIONS:
            code = key.removeprefix("decision-")
            decisions[code] = (value, post.get(f"text-{code}", ""))
    return decisions
