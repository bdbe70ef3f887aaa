"""Report tables: counts per answer option, aggregated in the database."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from casefiles.models import Answer, Examination, Inspection
from questionset.loader import NOT_APPLICABLE
from questionset.models import Question


@dataclass
class OptionRow:
    code: str
    label: str
    count: int
    percent: float | None  # None for "not applicable"


@dataclass
class QuestionTable:
    code: str
    text: str
    section: str
    answered: int  # n, not-applicable answers excluded
    not_applicable: int
    rows: list[OptionRow] = field(default_factory=list)


def primary_answers(inspection: Inspection):
    return Answer.objects.filter(
        examination__case_file__inspection=inspection,
        examination__kind=Examination.Kind.PRIMARY,
        examination__status=Examination.Status.SUBMITTED,
    )


def percent(count: int, denominator: int) -> float:
    return round(100 * count / denominator, 1) if denominator else 0.0


def question_tables(inspection: Inspection) -> list[QuestionTable]:
    """One table per choice question of the inspection's question set, every option shown."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for row in primary_answers(inspection).values("question__code", "value").annotate(n=Count("id")):
        counts[row["question__code"]][row["value"]] = row["n"]
    questions = (
        Question.objects.filter(question_set=inspection.question_set, answer_type=Question.Type.CHOICE)
        .select_related("section")
        .prefetch_related("options")
    )
    tables = []
    for question in questions:
        given = counts.get(question.code, {})
        not_applicable = given.get(NOT_APPLICABLE, 0)
        answered = sum(n for code, n in given.items() if code != NOT_APPLICABLE)
        table = QuestionTable(question.code, question.text, question.section.title, answered, not_applicable)
        for option in question.options.all():
            n = given.get(option.code, 0)
            pct = None if option.code == NOT_APPLICABLE else percent(n, answered)
            table.rows.append(OptionRow(option.code, option.label, n, pct))
        tables.append(table)
    return tables
