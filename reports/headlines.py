"""Headline tables: the share of files giving a question's first option (e.g. "Fully meets
the required standard"), rows by one breakdown and columns by another, with totals.

Which questions are headlines is data: `data/headlines.yaml` per question set, or the
job's parameters; nothing here knows any one inspection."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

from casefiles.models import Inspection
from questionset.loader import NOT_APPLICABLE
from questionset.models import Question

from .tables import SMALL_GROUP, AnswerCounts, answer_counts, breakdowns_of, percent

HEADLINES_FILE = Path(__file__).parent / "data" / "headlines.yaml"


@cache
def _headline_file() -> dict:
    return yaml.safe_load(HEADLINES_FILE.read_text(encoding="utf-8")) or {}


def default_headlines(inspection: Inspection) -> dict:
    """{"questions": [...], "rows": breakdown, "columns": breakdown} for the inspection's question set."""
    configured = _headline_file().get(inspection.question_set.code) if inspection.question_set else None
    # Columns default to the plan's first breakdown.
    columns = next(iter(list(breakdowns_of(inspection))[2:]), "all")
    if configured:
        return {
            "questions": [str(c) for c in configured.get("questions", [])],
            "rows": configured.get("rows", "area"),
            "columns": configured.get("columns", columns),
        }
    firsts: dict[str, str] = {}
    for question in Question.objects.in_page_order(inspection.question_set).filter(answer_type=Question.Type.CHOICE):
        firsts.setdefault(question.section.code, question.code)
    return {"questions": list(firsts.values()), "rows": "area", "columns": columns}


@dataclass
class HeadlineCell:
    count: int
    n: int
    suppressed: bool = False  # withheld in the publication copy (reports.disclosure)

    @property
    def percent(self) -> Decimal | None:
        return percent(self.count, self.n)

    @property
    def small(self) -> bool:
        return self.n < SMALL_GROUP


@dataclass
class HeadlineRow:
    label: str
    cells: list[HeadlineCell]
    total: HeadlineCell


@dataclass
class Headline:
    code: str
    text: str
    option_label: str
    rows_label: str
    columns_label: str
    columns: list[str]  # column labels
    rows: list[HeadlineRow]
    total: HeadlineRow
    # Per option: the national figures, unweighted and weighted for the design (reports.estimates).
    national: list[dict] = field(default_factory=list)

    @property
    def has_small_cells(self) -> bool:
        return any(c.small for row in [*self.rows, self.total] for c in [*row.cells, row.total])


def headline_table(
    inspection: Inspection, question: Question, rows: str, columns: str, counts: AnswerCounts | None = None
) -> Headline:
    """One headline: two breakdowns crossed, summed from the answers counted (counts, or
    counted here for this question). Columns nobody answered are left out."""
    known = breakdowns_of(inspection)
    row_b, col_b = known[rows], known[columns]
    if counts is None:
        counts = answer_counts(inspection, [question.code], [row_b, col_b])
    option = next(o for o in question.options.all() if o.code != NOT_APPLICABLE)
    count: dict[tuple[str, str], int] = defaultdict(int)
    n: dict[tuple[str, str], int] = defaultdict(int)
    answered = {o.code for o in question.options.all()} - {NOT_APPLICABLE}
    for (row, column, value), answers in counts.crossed(question.code, row_b, col_b).items():
        if value not in answered:
            continue
        n[(row, column)] += answers
        if value == option.code:
            count[(row, column)] += answers
    row_groups = ["all"] if rows == "all" else counts.groups(row_b)
    col_groups = ["all"] if columns == "all" else counts.groups(col_b)
    col_groups = [c for c in col_groups if any(n[(r, c)] for r in row_groups)]

    def cell(rs: list[str], cs: list[str]) -> HeadlineCell:
        return HeadlineCell(sum(count[(r, c)] for r in rs for c in cs), sum(n[(r, c)] for r in rs for c in cs))

    table_rows = [
        HeadlineRow(row_b.group_label(r), [cell([r], [c]) for c in col_groups], cell([r], col_groups))
        for r in row_groups
    ]
    total = HeadlineRow("All files", [cell(row_groups, [c]) for c in col_groups], cell(row_groups, col_groups))
    return Headline(
        code=question.code,
        text=question.text,
        option_label=option.label,
        rows_label=row_b.label,
        columns_label=col_b.label,
        columns=[col_b.group_label(c) for c in col_groups],
        rows=table_rows,
        total=total,
    )


def headline_spec(inspection: Inspection, parameters: dict | None = None) -> dict:
    """The parameters' headlines (parameters["headlines"] shaped like default_headlines), else the defaults."""
    return (parameters or {}).get("headlines") or default_headlines(inspection)


def headline_tables(
    inspection: Inspection, parameters: dict | None = None, counts: AnswerCounts | None = None
) -> list[Headline]:
    """The headline tables of headline_spec. counts: the answers already counted (for these
    questions, every breakdown: reports.parameters.report_counts), else counted here, once
    for them all."""
    spec = headline_spec(inspection, parameters)
    questions = {
        q.code: q
        for q in Question.objects.filter(
            question_set=inspection.question_set, answer_type=Question.Type.CHOICE, code__in=spec["questions"]
        ).prefetch_related("options")
    }
    rows, columns = spec.get("rows", "area"), spec.get("columns", "all")
    if counts is None:
        known = breakdowns_of(inspection)
        counts = answer_counts(inspection, list(questions), [known[rows], known[columns]])
    return [
        headline_table(inspection, questions[code], rows, columns, counts)
        for code in spec["questions"]
        if code in questions
    ]
