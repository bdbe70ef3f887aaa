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
from django.db.models import Count

from casefiles.models import Inspection
from questionset.loader import NOT_APPLICABLE
from questionset.models import Question

from .tables import SMALL_GROUP, breakdown_groups, breakdowns_of, percent, primary_answers, question_ids

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
    for question in (
        Question.objects.filter(question_set=inspection.question_set, answer_type=Question.Type.CHOICE)
        .order_by("section__order", "order")
        .select_related("section")
    ):
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


def headline_table(inspection: Inspection, question: Question, rows: str, columns: str) -> Headline:
    """One headline: two breakdowns crossed, counted in one GROUP BY. Columns nobody answered are left out."""
    known = breakdowns_of(inspection)
    row_b, col_b = known[rows], known[columns]
    option = next(o for o in question.options.all() if o.code != NOT_APPLICABLE)
    aggregated = (
        primary_answers(inspection)
        .filter(question_id__in=list(question_ids(inspection, [question.code])))
        .exclude(value=NOT_APPLICABLE)
        .exclude(value="")
        .values(
            "value",
            r=row_b.expression("examination__case_file__"),
            c=col_b.expression("examination__case_file__"),
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    count: dict[tuple[str, str], int] = defaultdict(int)
    n: dict[tuple[str, str], int] = defaultdict(int)
    known = {o.code for o in question.options.all()}
    decode_row, decode_column = row_b.decoder(), col_b.decoder()
    for item in aggregated:
        if item["value"] not in known:
            continue
        cell = (decode_row(item["r"]), decode_column(item["c"]))
        n[cell] += item["n"]
        if item["value"] == option.code:
            count[cell] += item["n"]
    row_groups = ["all"] if rows == "all" else breakdown_groups(inspection, row_b)
    col_groups = ["all"] if columns == "all" else breakdown_groups(inspection, col_b)
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


def headline_tables(inspection: Inspection, parameters: dict | None = None) -> list[Headline]:
    """The parameters' headlines (parameters["headlines"] shaped like default_headlines), else the defaults."""
    spec = (parameters or {}).get("headlines") or default_headlines(inspection)
    questions = {
        q.code: q
        for q in Question.objects.filter(
            question_set=inspection.question_set, answer_type=Question.Type.CHOICE, code__in=spec["questions"]
        ).prefetch_related("options")
    }
    return [
        headline_table(inspection, questions[code], spec.get("rows", "area"), spec.get("columns", "all"))
        for code in spec["questions"]
        if code in questions
    ]
