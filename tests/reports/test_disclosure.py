"""Disclosure control (reports.disclosure), on tables built in memory: no database."""

from reports.disclosure import Cell, headline_suppress, national_suppress, question_table_suppress, suppress
from reports.headlines import Headline, HeadlineCell, HeadlineRow
from reports.tables import ALL, AREA, BreakdownTable, GroupRow, OptionInfo, QuestionTable

OPTIONS = [
    OptionInfo("fully_meets", "Fully meets"),
    OptionInfo("partially_meets", "Partially meets"),
    OptionInfo("not_meets", "Does not meet"),
    OptionInfo("na", "Not applicable"),
]


def row(group: str, counts: list[int]) -> GroupRow:
    return GroupRow(group, group, OPTIONS, counts, n=sum(counts[:3]), not_applicable=counts[3])


def table(groups: dict[str, list[int]], answer_type: str = "choice") -> QuestionTable:
    overall = [sum(column) for column in zip(*groups.values(), strict=True)]
    return QuestionTable(
        "LD1",
        "Was the charging decision right?",
        "LD",
        "Legal decisions",
        answer_type,
        OPTIONS,
        [
            BreakdownTable(ALL, [row("all", overall)]),
            BreakdownTable(AREA, [row(g, c) for g, c in groups.items()]),
        ],
    )


def hidden(t: QuestionTable) -> dict[str, set[str]]:
    return {r.group: set(r.suppressed) for b in t.breakdowns for r in b.rows if r.suppressed}


def test_a_small_cell_is_hidden_with_a_cell_of_its_row_and_one_of_its_column():
    t = table({"Wessex": [10, 2, 8, 0], "London North": [9, 6, 7, 0]})
    question_table_suppress(t, threshold=5)
    # 2 is small; its row adds up to n, so the smaller of the others (8) goes; its column adds
    # up to the all-files row, so London North's 6 goes, and then that row's smaller other (7).
    assert hidden(t) == {"Wessex": {"partially_meets", "not_meets"}, "London North": {"partially_meets", "not_meets"}}
    assert t.overall.suppressed == frozenset()  # the national figures survive


def test_no_equation_is_left_with_exactly_one_hidden_cell():
    t = table({"A": [12, 1, 20, 3], "B": [30, 9, 4, 0], "C": [7, 8, 9, 11]})
    question_table_suppress(t, threshold=5)
    blocks = t.breakdowns
    for r in [*blocks[0].rows, *blocks[1].rows]:  # each row of a single-choice question adds up to n
        assert len(r.suppressed - {"na"}) != 1, r.group
    for option in OPTIONS:  # each column adds up to the all-files row
        column = [option.code in r.suppressed for r in [*blocks[1].rows, blocks[0].rows[0]]]
        assert sum(column) != 1, option.code
    assert {"partially_meets"} <= hidden(t)["A"] and {"na"} <= hidden(t)["A"]
    assert {"not_meets"} <= hidden(t)["B"]


def test_zeros_and_counts_at_the_threshold_are_shown():
    t = table({"A": [5, 0, 10, 0], "B": [6, 0, 12, 0]})
    assert question_table_suppress(t, threshold=5) == 0
    assert hidden(t) == {}


def test_a_group_with_fewer_files_than_the_threshold_has_every_answer_hidden():
    t = table({"A": [2, 1, 1, 0], "B": [20, 10, 12, 0], "C": [15, 9, 11, 0]})
    question_table_suppress(t, threshold=5)
    assert hidden(t)["A"] == {"fully_meets", "partially_meets", "not_meets"}
    # Each hidden cell of A has a partner in its column, so A's figures cannot be worked out.
    for option in ("fully_meets", "partially_meets", "not_meets"):
        assert option in hidden(t).get("B", set()) | hidden(t).get("C", set())


def test_the_threshold_can_be_raised():
    t = table({"A": [12, 7, 20, 0], "B": [30, 9, 40, 0]})
    assert question_table_suppress(t, threshold=5) == 0
    question_table_suppress(t, threshold=10)
    assert "partially_meets" in hidden(t)["A"] and "partially_meets" in hidden(t)["B"]


def test_multi_choice_rows_are_not_totals_but_columns_still_are():
    t = table({"A": [12, 2, 20, 0], "B": [30, 9, 40, 0]}, answer_type="multi")
    question_table_suppress(t, threshold=5)
    # Options of a multiple-choice question do not add up to n: only the column gives 2 away.
    assert hidden(t) == {"A": {"partially_meets"}, "B": {"partially_meets"}}


def test_suppress_prefers_the_smallest_non_zero_cell_and_keeps_totals():
    cells = [Cell("a", 2), Cell("b", 0), Cell("c", 9), Cell("d", 7), Cell("total", 18, total=True)]
    assert suppress(cells, [["a", "b", "c", "d", "total"]], threshold=5) == {"a", "d"}


def test_a_headline_cross_table_hides_small_cells_and_their_complements():
    def cell(count: int, n: int) -> HeadlineCell:
        return HeadlineCell(count, n)

    rows = [
        HeadlineRow("Wessex", [cell(2, 10), cell(8, 12)], cell(10, 22)),
        HeadlineRow("London North", [cell(7, 11), cell(9, 15)], cell(16, 26)),
    ]
    total = HeadlineRow("All files", [cell(9, 21), cell(17, 27)], cell(26, 48))
    headline = Headline("LD1", "Right?", "Fully meets", "CPS Area", "Court", ["Crown", "Magistrates"], rows, total)
    headline_suppress(headline, threshold=5)
    shown = [[c.suppressed for c in [*r.cells, r.total]] for r in [*rows, total]]
    assert shown == [[True, True, False], [True, True, False], [False, False, False]]


def test_national_rows_follow_the_all_files_row_of_the_question_table():
    t = table({"A": [1, 20, 20, 0], "B": [1, 30, 40, 0]})
    question_table_suppress(t, threshold=5)
    # All files gave "fully meets" twice: small nationally too, so hidden there with a complement.
    assert t.overall.suppressed == {"fully_meets", "partially_meets"}
    rows = [{"label": o.label, "count": c} for o, c, _p in t.overall.answered_cells]
    national_suppress(rows, t, threshold=5)
    assert [r["suppressed"] for r in rows] == [True, True, False]


def test_national_rows_alone_hide_a_small_count_and_its_complement():
    rows = [{"label": "Fully", "count": 3}, {"label": "Partly", "count": 20}, {"label": "No", "count": 12}]
    national_suppress(rows, None, threshold=5)
    assert [r["suppressed"] for r in rows] == [True, False, True]
