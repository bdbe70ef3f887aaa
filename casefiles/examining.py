"""The examination page's data, without Django forms: 60–100 questions are parsed and
validated here one answer at a time, so each saves (or conflicts) on its own."""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from questionset.models import Question
from questionset.rules import applicable_codes

from .models import Answer, CaseFile


@dataclass
class PostedAnswer:
    question: Question
    value: str
    comment: str
    expected_version: int | None
    error: str = ""


@dataclass
class QuestionView:
    question: Question
    applies: bool
    answer: Answer | None
    value: str = ""
    comment: str = ""
    version: int = 0
    error: str = ""
    conflict: Answer | None = None
    values: list[str] = field(default_factory=list)

    @property
    def is_answered(self) -> bool:
        return bool(self.value)

    @property
    def value_label(self) -> str:
        return answer_label(self.question, self.value)

    @property
    def rule_json(self) -> str:
        return json.dumps(self.question.applies_when, separators=(",", ":"))


@dataclass
class SectionView:
    code: str
    title: str
    questions: list[QuestionView]

    @property
    def applicable(self) -> int:
        return sum(1 for q in self.questions if q.applies)

    @property
    def answered(self) -> int:
        return sum(1 for q in self.questions if q.applies and q.is_answered)


def answer_label(question: Question, value: str) -> str:
    """A stored value as the user reads it: option labels instead of codes."""
    if not value or not question.has_options:
        return value
    labels = {o.code: o.label for o in question.options.all()}
    return "; ".join(labels.get(code, code) for code in value.split("|"))


def normalise_value(question: Question, raw: list[str]) -> tuple[str, str]:
    """(stored value, error). raw is every value posted for the question."""
    raw = [r.strip() for r in raw if r.strip()]
    if not raw:
        return "", ""
    if question.answer_type == Question.Type.CHOICE:
        codes = {o.code for o in question.options.all()}
        return (raw[0], "") if raw[0] in codes and len(raw) == 1 else ("", "Choose one of the options")
    if question.answer_type == Question.Type.MULTI:
        codes = [o.code for o in question.options.all()]
        if any(r not in codes for r in raw):
            return "", "Choose from the options given"
        chosen = [c for c in codes if c in raw]
        conflict = question.exclusive_conflict(chosen)
        return ("", conflict) if conflict else ("|".join(chosen), "")
    if question.answer_type == Question.Type.NUMBER:
        try:
            number = Decimal(raw[0].replace(",", ""))
        except InvalidOperation:
            return "", "Enter a number, like 14"
        if not number.is_finite():
            return "", "Enter a number, like 14"
        return (str(number.quantize(Decimal(1))) if number == number.to_integral() else str(number)), ""
    if question.answer_type == Question.Type.DATE:
        try:
            return datetime.date.fromisoformat(raw[0]).isoformat(), ""
        except ValueError:
            return "", "Enter a real date, like 2026-03-27"
    return raw[0], ""


def parse_posted(questions: list[Question], post) -> list[PostedAnswer]:
    """The answers present in a POST: q-CODE (value), c-CODE (comment), v-CODE (version read)."""
    posted = []
    for question in questions:
        if f"v-{question.code}" not in post:
            continue
        value, error = normalise_value(question, post.getlist(f"q-{question.code}"))
        version = post.get(f"v-{question.code}", "")
        posted.append(
            PostedAnswer(
                question=question,
                value=value,
                comment=post.get(f"c-{question.code}", "").strip(),
                expected_version=int(version) if version.isdigit() else None,
                error=error,
            )
        )
    return posted


def section_views(questions: list[Question], case_file: CaseFile, answers: dict[str, Answer]) -> list[SectionView]:
    """Questions grouped by section, each knowing whether it applies and its stored answer."""
    applicable = applicable_codes(questions, case_file.attributes, {code: a.value for code, a in answers.items()})
    sections: dict[int, SectionView] = {}
    for question in questions:
        answer = answers.get(question.code)
        view = QuestionView(
            question=question,
            applies=question.code in applicable,
            answer=answer,
            value=answer.value if answer else "",
            values=answer.value.split("|") if answer and answer.value else [],
            comment=answer.comment if answer else "",
            version=answer.version if answer else 0,
        )
        section = question.section
        if section.pk not in sections:
            sections[section.pk] = SectionView(section.code, section.title, [])
        sections[section.pk].questions.append(view)
    return list(sections.values())
