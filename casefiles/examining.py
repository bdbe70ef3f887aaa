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
    expected_version: int
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
    def comment_needed(self) -> bool:
        """This answer is one the question set wants explained in the comment."""
        return bool(set(self.values) & set(self.question.comment_required_for))

    @property
    def is_complete(self) -> bool:
        """What the navigator counts: answered, with the comment the answer needs, no error."""
        return self.is_answered and not self.error and not (self.comment_needed and not self.comment)

    @property
    def comment_rule(self) -> str:
        """The comment rule spelt out, e.g. 'A comment is needed when you answer Partially meeting or Not meeting'."""
        needing = set(self.question.comment_required_for)
        labels = [o.label for o in self.question.options.all() if o.code in needing]
        if not labels:
            return ""
        listed = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]
        return f"A comment is needed when you answer {listed}"

    @property
    def first_input_id(self) -> str:
        """The id an error-summary link points at: focus lands in the question's first input."""
        if self.question.has_options:
            first = next(iter(self.question.options.all()), None)
            return f"q-{self.question.code}-{first.code}" if first else f"q-{self.question.code}"
        return f"input-{self.question.code}"

    @property
    def error_target_id(self) -> str:
        """A missing comment is fixed in the comment box; anything else in the answer."""
        if self.comment_needed and not self.comment and self.is_answered:
            return f"c-{self.question.code}"
        return self.first_input_id

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
        """Complete questions: an answer missing its needed comment does not count."""
        return sum(1 for q in self.questions if q.applies and q.is_complete)

    @property
    def is_complete(self) -> bool:
        return self.answered == self.applicable


@dataclass
class Progress:
    """The whole file's completion, for the progress panel."""

    answered: int
    applicable: int
    next_incomplete: "QuestionView | None"


def progress_of(sections: list[SectionView]) -> Progress:
    applicable = [q for s in sections for q in s.questions if q.applies]
    incomplete = [q for q in applicable if not q.is_complete]
    return Progress(
        answered=len(applicable) - len(incomplete),
        applicable=len(applicable),
        next_incomplete=incomplete[0] if incomplete else None,
    )


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
        number, error = parse_number(raw[0])
        if error:
            return "", error
        return (str(number.quantize(Decimal(1))) if number == number.to_integral() else str(number)), ""
    if question.answer_type == Question.Type.DATE:
        try:
            return datetime.date.fromisoformat(raw[0]).isoformat(), ""
        except ValueError:
            return "", "Enter a real date, like 2026-03-27"
    return raw[0], ""


NUMBER_DECIMALS_MAX = 6
NUMBER_TEXT_MAX = 40
NUMBER_PROBLEM = "Enter a number, like 14"
VERSION_DIGITS_MAX = 18  # Answer.version is a 64-bit integer
VERSION_PROBLEM = "The page sent an answer version that cannot be read: reload the page and answer again"
NUL_PROBLEM = "The answer contains a character that cannot be stored (a NUL): remove it and save again"


def parse_number(text: str) -> tuple[Decimal | None, str]:
    """(number, error) for an answer typed as a number: finite, under a trillion, with no
    exponent the arithmetic cannot hold (1e30 and '²' are refused, not a server error)."""
    text = text.replace(",", "")
    if len(text) > NUMBER_TEXT_MAX or not text.isascii():
        return None, NUMBER_PROBLEM
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None, NUMBER_PROBLEM
    if not number.is_finite():
        return None, NUMBER_PROBLEM
    # adjusted() reads the exponent without arithmetic (abs(1E999999999) itself overflows).
    if not number.is_zero() and number.adjusted() >= 12:
        return None, "Enter a number smaller than 1,000,000,000,000"
    if number.as_tuple().exponent < -NUMBER_DECIMALS_MAX:
        return None, f"Enter a number with at most {NUMBER_DECIMALS_MAX} decimal places"
    return number, ""


def parse_version(text: str) -> tuple[int, str]:
    """(version the page read, error). Nothing sent is version 0 — "the client never read
    it" — so it conflicts with any stored answer: no version ever skips the check."""
    text = text.strip()
    if not text:
        return 0, ""
    if len(text) > VERSION_DIGITS_MAX or not (text.isascii() and text.isdigit()):
        return 0, VERSION_PROBLEM
    return int(text), ""


def parse_posted(questions: list[Question], post) -> list[PostedAnswer]:
    """The answers present in a POST: q-CODE (value), c-CODE (comment), v-CODE (version read)."""
    posted = []
    for question in questions:
        if f"v-{question.code}" not in post:
            continue
        raw_values, comment = post.getlist(f"q-{question.code}"), post.get(f"c-{question.code}", "")
        version, version_error = parse_version(post.get(f"v-{question.code}", ""))
        if "\x00" in comment or any("\x00" in v for v in raw_values):
            value, error = "", NUL_PROBLEM
        else:
            value, error = normalise_value(question, raw_values)
        posted.append(
            PostedAnswer(
                question=question,
                value=value,
                comment=comment.strip(),
                expected_version=version,
                error=version_error or error,
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
