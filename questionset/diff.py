"""What changed between two versions of a question set, matched by stable codes. Pure."""

import difflib
import re
from dataclasses import dataclass, field

from .describe import describe_applicability
from .loader import OptionSpec, QuestionSetSpec, QuestionSpec, SectionSpec

ANSWER_TYPE_LABELS = {
    "choice": "Single choice",
    "multi": "Multiple choice",
    "number": "Number",
    "date": "Date",
    "text": "Free text",
}


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str

    @property
    def before(self) -> list[tuple[str, str]]:
        """The old value as (kind, text) pieces, kind 'same' or 'removed', to mark what went."""
        return [(kind, text) for kind, text in word_diff(self.old, self.new) if kind != "added"]

    @property
    def after(self) -> list[tuple[str, str]]:
        """The new value as (kind, text) pieces, kind 'same' or 'added', to mark what came."""
        return [(kind, text) for kind, text in word_diff(self.old, self.new) if kind != "removed"]


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level differences, so a changed word stands out in a paragraph of guidance."""
    old_words, new_words = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    pieces: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            pieces.append(("removed", "".join(old_words[a1:a2])))
        if b2 > b1:
            pieces.append(("added", "".join(new_words[b1:b2])))
    return pieces


@dataclass
class QuestionChange:
    code: str
    old: QuestionSpec
    new: QuestionSpec
    fields: list[FieldChange] = field(default_factory=list)
    options_added: list[OptionSpec] = field(default_factory=list)
    options_removed: list[OptionSpec] = field(default_factory=list)
    options_relabelled: list[FieldChange] = field(default_factory=list)
    options_reordered: bool = False
    options_made_exclusive: list[OptionSpec] = field(default_factory=list)
    options_no_longer_exclusive: list[OptionSpec] = field(default_factory=list)

    @property
    def field_names(self) -> set[str]:
        return {f.name for f in self.fields}


@dataclass
class QuestionSetDiff:
    set_fields: list[FieldChange] = field(default_factory=list)
    sections_added: list[SectionSpec] = field(default_factory=list)
    sections_removed: list[SectionSpec] = field(default_factory=list)
    sections_renamed: list[FieldChange] = field(default_factory=list)
    added: list[QuestionSpec] = field(default_factory=list)
    removed: list[QuestionSpec] = field(default_factory=list)
    changed: list[QuestionChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.set_fields,
                self.sections_added,
                self.sections_removed,
                self.sections_renamed,
                self.added,
                self.removed,
                self.changed,
            )
        )

    @property
    def count(self) -> int:
        return len(self.added) + len(self.removed) + len(self.changed)


def _yes_no(value: bool) -> str:
    return "Required" if value else "Optional"


def _labels(question: QuestionSpec, codes: list[str]) -> str:
    labels = {o.code: o.label for o in question.options}
    return ", ".join(f"‘{labels.get(c, c)}’" for c in codes) or "none"


def diff_question_sets(old: QuestionSetSpec, new: QuestionSetSpec) -> QuestionSetDiff:
    """Questions added, removed and changed (text, guidance, criterion, type, options and
    their exclusive flag, required, comment rule, applicability, section) from `old` to `new`."""
    diff = QuestionSetDiff()
    for name, label in (("title", "Title"), ("version", "Version label"), ("description", "Description")):
        if getattr(old, name) != getattr(new, name):
            diff.set_fields.append(FieldChange(name, label, getattr(old, name), getattr(new, name)))
    if old.criteria != new.criteria:
        diff.set_fields.append(FieldChange("criteria", "Criteria", "; ".join(old.criteria), "; ".join(new.criteria)))

    old_sections = {s.code: s for s in old.sections}
    new_sections = {s.code: s for s in new.sections}
    diff.sections_added = [s for s in new.sections if s.code not in old_sections]
    diff.sections_removed = [s for s in old.sections if s.code not in new_sections]
    diff.sections_renamed = [
        FieldChange(s.code, f"Section {s.code}", old_sections[s.code].title, s.title)
        for s in new.sections
        if s.code in old_sections and old_sections[s.code].title != s.title
    ]

    old_questions = {q.code: q for q in old.questions}
    new_questions = {q.code: q for q in new.questions}
    diff.added = [q for q in new.questions if q.code not in old_questions]
    diff.removed = [q for q in old.questions if q.code not in new_questions]
    for question in new.questions:
        if question.code in old_questions:
            change = _question_change(old_questions[question.code], question, old_questions, new_questions)
            if change is not None:
                diff.changed.append(change)
    return diff


def _question_change(
    old: QuestionSpec, new: QuestionSpec, old_questions: dict[str, QuestionSpec], new_questions: dict[str, QuestionSpec]
) -> QuestionChange | None:
    change = QuestionChange(code=new.code, old=old, new=new)
    simple = (
        ("section", "Section", old.section_code, new.section_code),
        ("text", "Question text", old.text, new.text),
        ("guidance", "Guidance", old.guidance, new.guidance),
        ("criterion", "Criterion", old.criterion, new.criterion),
        (
            "answer_type",
            "Answer type",
            ANSWER_TYPE_LABELS.get(old.answer_type, old.answer_type),
            ANSWER_TYPE_LABELS.get(new.answer_type, new.answer_type),
        ),
        ("required", "Required", _yes_no(old.required), _yes_no(new.required)),
    )
    for name, label, before, after in simple:
        if before != after:
            change.fields.append(FieldChange(name, label, before, after))
    if sorted(old.comment_required_for) != sorted(new.comment_required_for):
        change.fields.append(
            FieldChange(
                "comment_required_for",
                "Comment required for",
                _labels(old, old.comment_required_for),
                _labels(new, new.comment_required_for),
            )
        )
    if old.applies_when != new.applies_when:
        change.fields.append(
            FieldChange(
                "applies_when",
                "Applicability",
                describe_applicability(old.applies_when, old_questions),
                describe_applicability(new.applies_when, new_questions),
            )
        )
    old_options = {o.code: o for o in old.options}
    new_options = {o.code: o for o in new.options}
    change.options_added = [o for o in new.options if o.code not in old_options]
    change.options_removed = [o for o in old.options if o.code not in new_options]
    change.options_relabelled = [
        FieldChange(o.code, o.code, old_options[o.code].label, o.label)
        for o in new.options
        if o.code in old_options and old_options[o.code].label != o.label
    ]
    change.options_made_exclusive = [
        o for o in new.options if o.code in old_options and o.exclusive and not old_options[o.code].exclusive
    ]
    change.options_no_longer_exclusive = [
        o for o in new.options if o.code in old_options and not o.exclusive and old_options[o.code].exclusive
    ]
    kept_old = [o.code for o in old.options if o.code in new_options]
    kept_new = [o.code for o in new.options if o.code in old_options]
    change.options_reordered = kept_old != kept_new
    if (
        change.fields
        or change.options_added
        or change.options_removed
        or change.options_relabelled
        or change.options_reordered
        or change.options_made_exclusive
        or change.options_no_longer_exclusive
    ):
        return change
    return None
