"""A version laid out for reading: sections, each question with its options and its
applicability in plain English. Shared by the page and the PDF."""

from dataclasses import dataclass

from .describe import describe_applicability
from .models import Question, QuestionSet, Section


@dataclass
class QuestionRow:
    question: Question
    options: list
    applicability: str
    comment_required_labels: list[str]


@dataclass
class SectionRows:
    section: Section
    questions: list[QuestionRow]


def question_set_sections(question_set: QuestionSet) -> list[SectionRows]:
    questions = list(Question.objects.in_page_order(question_set).with_options())
    by_code = {q.code: q for q in questions}
    rows: dict[int, SectionRows] = {s.pk: SectionRows(section=s, questions=[]) for s in question_set.sections.all()}
    for q in questions:
        options = list(q.options.all())
        labels = {o.code: o.label for o in options}
        rows[q.section_id].questions.append(
            QuestionRow(
                question=q,
                options=options,
                applicability=describe_applicability(q.applies_when, by_code),
                comment_required_labels=[labels.get(c, c) for c in q.comment_required_for],
            )
        )
    return list(rows.values())
