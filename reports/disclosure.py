"""Statistical disclosure control for the publication copy of a report.

Pure: no database. The report's tables are counted as usual; this module decides which of
their cells the publication copy must not show, and marks them (GroupRow.suppressed,
HeadlineCell.suppressed, a national row's "suppressed"). Every renderer (PDF, XLSX
presentation sheets, XLSX data sheet) then prints SUPPRESSED in their place.

* Primary suppression: a count of 1 to threshold - 1 (zeros are shown: they say nothing
  about a person), and every answer cell of a group with fewer than threshold files
  answering (its n is shown: it says how many files, not what was found in them).
* Secondary suppression: a published total lets a reader work one hidden cell out of the
  others. Each total is an equation over cells (a single-choice question's options in a
  group add up to the group's n; a breakdown's groups add up to all files, option by
  option). Whenever an equation has exactly one hidden cell, one more of its cells is
  hidden too (the smallest count, preferring cells of groups to the all-files row, so the
  national figures survive) and the equations are checked again until none has exactly
  one. This is the usual cell-suppression heuristic (as the ONS and GSS use for tables of
  counts); it does not solve the full linear-programming attack over many equations.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from .tables import choosable_breakdowns, question_tables

# The ONS / GSS symbol for a figure withheld to protect confidentiality.
SUPPRESSED = "[c]"
SUPPRESSED_NOTE = (
    f"{SUPPRESSED}: figure withheld to protect confidentiality (a count below the disclosure "
    "threshold, or one that would let a withheld figure be worked out from a total)."
)

DEFAULT_THRESHOLD = 5


@dataclass(frozen=True)
class Cell:
    key: Hashable
    count: int
    total: bool = False  # a cell of an all-files row: hidden only when nothing else will do


def primary(cells: Iterable[Cell], threshold: int) -> set[Hashable]:
    """The cells whose own count is small: 1 to threshold - 1."""
    return {c.key for c in cells if 0 < c.count < threshold}


def secondary(cells: Iterable[Cell], equations: Iterable[Iterable[Hashable]], hidden: set[Hashable]) -> set[Hashable]:
    """hidden grown until no equation (cells adding up to a published total) has exactly
    one hidden cell. Returns a new set."""
    by_key = {c.key: c for c in cells}
    equations = [[k for k in equation if k in by_key] for equation in equations]
    hidden = set(hidden)
    changed = True
    while changed:
        changed = False
        for equation in equations:
            concealed = [k for k in equation if k in hidden]
            if len(concealed) != 1:
                continue
            candidates = [by_key[k] for k in equation if k not in hidden]
            if not candidates:
                continue
            # A zero hidden beside a small count protects nothing when zeros are known to be
            # shown, so the smallest non-zero count goes first.
            order = {k: i for i, k in enumerate(equation)}
            choice = min(candidates, key=lambda c: (c.total, c.count == 0, c.count, order[c.key]))
            hidden.add(choice.key)
            changed = True
    return hidden


def suppress(
    cells: Iterable[Cell],
    equations: Iterable[Iterable[Hashable]],
    threshold: int = DEFAULT_THRESHOLD,
    forced: Iterable[Hashable] = (),
) -> set[Hashable]:
    """The keys of the cells to hide: primary (small counts, plus forced), then secondary."""
    cells = list(cells)
    return secondary(cells, equations, primary(cells, threshold) | set(forced))


def question_table_suppress(table, threshold: int = DEFAULT_THRESHOLD) -> int:
    """Mark the cells of a reports.tables.QuestionTable (built with every breakdown it will
    be shown with) that the publication copy hides: sets each GroupRow.suppressed to the
    option codes hidden in that row. Returns how many cells are hidden."""
    cells: list[Cell] = []
    forced: set[tuple] = set()
    equations: list[list[tuple]] = []
    overall = table.breakdowns[0]
    for block in table.breakdowns:
        is_all = block is overall
        for row in block.rows:
            keys = []
            for option, count in zip(row.options, row.counts, strict=True):
                key = (block.breakdown.code, row.group, option.code)
                cells.append(Cell(key, count, total=is_all))
                if not option.is_not_applicable:
                    keys.append(key)
                    if 0 < row.n < threshold:
                        forced.add(key)
            if not table.is_multi:  # single choice: the options add up to n, which is shown
                equations.append(keys)
        if not is_all:  # every file is in one group: the groups add up to the all-files row
            for option in table.options:
                equations.append(
                    [(block.breakdown.code, row.group, option.code) for row in block.rows]
                    + [(overall.breakdown.code, overall.rows[0].group, option.code)]
                )
    hidden = suppress(cells, equations, threshold, forced)
    for block in table.breakdowns:
        for row in block.rows:
            row.suppressed = frozenset(
                o.code for o in row.options if (block.breakdown.code, row.group, o.code) in hidden
            )
    return len(hidden)


def headline_suppress(headline, threshold: int = DEFAULT_THRESHOLD) -> int:
    """Mark the cells of a reports.headlines.Headline to hide (HeadlineCell.suppressed): a
    cell shows a percentage and its n, so its count can be worked out; the rows add up to
    their total column and the columns to the all-files row."""
    grid = [*headline.rows, headline.total]
    cells: list[Cell] = []
    forced = set()
    for r, row in enumerate(grid):
        for c, cell in enumerate([*row.cells, row.total]):
            cells.append(Cell((r, c), cell.count, total=row is headline.total or c == len(row.cells)))
            if 0 < cell.n < threshold:
                forced.add((r, c))
    width = len(headline.total.cells) + 1
    equations = [[(r, c) for c in range(width)] for r in range(len(grid))]
    equations += [[(r, c) for r in range(len(grid))] for c in range(width)]
    hidden = suppress(cells, equations, threshold, forced)
    for r, row in enumerate(grid):
        for c, cell in enumerate([*row.cells, row.total]):
            cell.suppressed = (r, c) in hidden
    return len(hidden)


def national_suppress(rows: list[dict], table=None, threshold: int = DEFAULT_THRESHOLD) -> None:
    """Mark a headline's national rows (reports.estimates.national_estimates: one per answered
    option, in order) to hide: as the question table's all-files row when the report has it,
    else small counts and, the options adding up to the files answering, their complement."""
    if table is not None:
        hidden_options = [o.code in table.overall.suppressed for o, _c, _p in table.overall.answered_cells]
    else:
        cells = [Cell(i, row["count"]) for i, row in enumerate(rows)]
        hidden = suppress(cells, [[c.key for c in cells]], threshold)
        hidden_options = [i in hidden for i in range(len(rows))]
    for row, hidden_option in zip(rows, hidden_options, strict=True):
        row["suppressed"] = hidden_option


def every_breakdown_tables(inspection, parameters: dict, counts, threshold: int | None) -> list:
    """The chosen questions' tables by every breakdown, from the answers counted (counts), with
    the cells a publication copy withholds marked when there is a threshold. Suppression is
    decided over every breakdown, so the PDF, the presentation sheets and the data sheet
    withhold the same cells, whichever breakdowns each shows."""
    tables = question_tables(inspection, parameters, breakdowns=choosable_breakdowns(inspection), counts=counts)
    if threshold:
        for table in tables:
            question_table_suppress(table, threshold)
    return tables
