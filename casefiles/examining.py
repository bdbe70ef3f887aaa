"""The examination form without Django forms: questions of 60–100 per page are parsed and
validated here, one answer at a time, so each saves (or conflicts) on its own."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from questionset.models import Question
from questionset.rules import applicable_codes

from .models import Answer


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
        return "|".join(c for c in codes if c in raw), ""
    if question.answer_type == Question.Type.NUMBER:
        try:
            number = Decimal(raw[0])
        except InvalidOperation:
            return "", "Enter a number, like 14"
        return (str(number.normalize()) if number == number.to_integral() else str(number)), ""
    if question.answer_type == Question.Type.DATE:
        try:
            return datetime.date.fromisoformat(raw[0]).isoformat(), ""
        except ValueError:
            return "", "Enter a real date, like 2026-03-27"
    return raw[0], ""


def parse_posted(questions: list[Question], post) -> list[PostedAnswer]:
    """The answers present in a POST: field q-CODE (value), c-CODE (comment), v-CODE (version read)."""
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


def question_views(
    questions: list[Question], attributes: dict[str, str], answers: dict[str, Answer]
) -> list[QuestionView]:
    applicable = applicable_codes(questions, attributes, {code: a.value for code, a in answers.items()})
    views = []
    for question in questions:
        answer = answers.get(question.code)
        views.append(
            QuestionView(
                question=question,
                applies=question.code in applicable,
                answer=answer,
                value=answer.value if answer else "",
                values=answer.value.split("|") if answer and answer.value else [],
                comment=answer.comment if answer else "",
                version=answer.version if answer else 0,
            )
        )
    return views
