"""The dip review page's data: which questions a review covers, and the QA lead's posted
verdicts parsed and checked one question at a time (no Django forms: 80-odd questions)."""

from dataclasses import dataclass, field

from casefiles.examining import answer_label, normalise_value
from casefiles.models import CaseFile
from questionset.models import Question
from questionset.rules import question_applies

from .models import ReviewItem


@dataclass
class Verdict:
    agrees: bool
    qa_value: str
    reason: str
    amend: bool
    error: str = ""


@dataclass
class ItemView:
    """One question on the review page: the inspector's answer beside the QA lead's verdict."""

    item: ReviewItem
    question: Question
    applies_for_qa: bool  # False: the QA lead's own answers above rule the question out
    error: str = ""
    values: list[str] = field(default_factory=list)

    @property
    def asked_of_inspector(self) -> bool:
        return self.item.asked

    @property
    def inspector_label(self) -> str:
        return answer_label(self.question, self.item.inspector_value)

    @property
    def qa_label(self) -> str:
        return answer_label(self.question, self.item.qa_value)

    @property
    def code(self) -> str:
        return self.question.code

    @property
    def prefill(self) -> str:
        """What the QA lead's answer inputs start with: their answer, or — for ticks, numbers,
        dates and text, which are adjusted rather than chosen — the inspector's."""
        if self.item.qa_value or not self.item.agrees or self.question.answer_type == Question.Type.CHOICE:
            return self.item.qa_value
        return self.item.inspector_value


@dataclass
class SectionItems:
    code: str
    title: str
    items: list[ItemView]

    @property
    def disagreements(self) -> int:
        return sum(1 for i in self.items if not i.item.agrees)


def qa_applicability(questions: list[Question], case_file: CaseFile, items: dict[str, ReviewItem]) -> set[str]:
    """Codes of the questions that apply given the QA lead's own answers (theirs where they
    disagree, the inspector's where they agree), earlier answers deciding later ones."""
    applies, effective = set(), {}
    for question in questions:
        if question_applies(question.applies_when, case_file.attributes, effective):
            applies.add(question.code)
            item = items.get(question.code)
            if item is not None:
                effective[question.code] = item.qa_answer
    return applies


def item_sections(questions: list[Question], case_file: CaseFile, items: dict[str, ReviewItem]) -> list[SectionItems]:
    applies = qa_applicability(questions, case_file, items)
    sections: dict[int, SectionItems] = {}
    for question in questions:
        item = items.get(question.code)
        if item is None:
            continue
        view = ItemView(item, question, question.code in applies)
        view.values = view.prefill.split("|") if view.prefill else []
        section = question.section
        sections.setdefault(section.pk, SectionItems(section.code, section.title, [])).items.append(view)
    return list(sections.values())


def parse_verdicts(questions: list[Question], items: dict[str, ReviewItem], post) -> dict[str, Verdict]:
    """The verdicts present in a POST (seen-CODE marks a question on the page):
    agree-CODE ("no" when the QA lead ticked "I disagree"; absent or "yes" is agreement),
    q-CODE (their answer), reason-CODE, amend-CODE. A question the inspector was not asked
    can only be answered."""
    verdicts = {}
    for question in questions:
        item = items.get(question.code)
        code = question.code
        if item is None or f"seen-{code}" not in post:
            continue
        agrees = post.get(f"agree-{code}", "yes") != "no" if item.asked else False
        value, error = normalise_value(question, post.getlist(f"q-{code}")) if not agrees else ("", "")
        if not error and not agrees and item.asked and value and value == item.inspector_value:
            error = "Your answer is the same as the inspector's: untick “I disagree”, or give a different answer"
        verdicts[code] = Verdict(
            agrees=agrees,
            qa_value=value,
            reason=post.get(f"reason-{code}", "").strip() if not agrees else "",
            amend=not agrees and post.get(f"amend-{code}") == "yes",
            error=error,
        )
    return verdicts
