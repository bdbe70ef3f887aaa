"""The report tables against a fixture counted by hand (tests/reports/conftest.py HAND_FILES).

Six files count (primary, submitted). F7 (in progress), F8 (returned) and a dip
re-examination of F1 answer LD1 "not_meets": if any of them were counted, the LD1
not_meets counts below would be wrong."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from questionset.models import Question
from reports.headlines import headline_table
from reports.render import render_report
from reports.tables import data_rows, percent, question_tables

pytestmark = pytest.mark.django_db

ALL_BREAKDOWNS = ["area", "court", "category", "outcome", "domestic_abuse"]


def data_sheet(inspection, parameters=None) -> list[tuple]:
    content = render_report(inspection, "xlsx", parameters or {"breakdowns": ALL_BREAKDOWNS})
    sheet = load_workbook(io.BytesIO(content), read_only=True)["data"]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def rows_for(sheet: list[tuple], question: str, breakdown: str, group: str) -> list[tuple]:
    """SPEC's answer, count and percent (the weighted columns after them are tested in test_weights)."""
    return [r[3:6] for r in sheet if r[:3] == (question, breakdown, group)]


def test_the_data_sheet_has_the_columns_spec_fixes_and_one_row_per_question_group_option(inspection, hand_counted):
    sheet = data_sheet(inspection)
    assert sheet[0][:6] == ("question", "breakdown", "group", "answer", "count", "percent")  # SPEC's six first
    # Choice questions LD1 (4 options), LD2 (3), LD3 (4), VW1 (3), multi VW3 (3) = 17 options;
    # groups: all 1, area 2, court 3, category 3, outcome 2, domestic_abuse 2 = 13.
    assert len(sheet) - 1 == 17 * 13
    assert {r[0] for r in sheet[1:]} == {"LD1", "LD2", "LD3", "VW1", "VW3"}  # VW2 (number) is not in it
    assert {(r[1], r[2]) for r in sheet[1:]} == {
        ("all", "all"),
        ("area", "London North"),
        ("area", "Wessex"),
        ("court", "magistrates"),
        ("court", "crown"),
        ("court", "none"),
        ("category", "stalking"),
        ("category", "harassment"),
        ("category", "breach_of_order"),
        ("outcome", "charged"),
        ("outcome", "nfa"),
        ("domestic_abuse", "yes"),
        ("domestic_abuse", "no"),
    }


OPTIONS = {
    "LD1": ["fully_meets", "partially_meets", "not_meets", "na"],
    "LD2": ["yes", "no", "na"],
    "LD3": ["fully_meets", "partially_meets", "not_meets", "na"],
    "VW1": ["yes", "no", "na"],
    "VW3": ["following", "contacting", "cyber"],
}


@pytest.mark.parametrize(
    ("question", "breakdown", "group", "counts", "percents"),
    [
        # LD1 answered by F1 fully, F2 partially, F3 fully, F5 na, F6 not_meets (F4 is NFA: no answer).
        ("LD1", "all", "all", [2, 1, 1, 1], [50.0, 25.0, 25.0, None]),
        ("LD1", "area", "Wessex", [2, 1, 0, 0], [66.7, 33.3, 0.0, None]),
        ("LD1", "area", "London North", [0, 0, 1, 1], [0.0, 0.0, 100.0, None]),
        ("LD1", "court", "crown", [2, 0, 0, 1], [100.0, 0.0, 0.0, None]),
        ("LD1", "court", "magistrates", [0, 1, 1, 0], [0.0, 50.0, 50.0, None]),
        # Nobody in the group answered: zeros, and no percentage (nothing to divide by).
        ("LD1", "court", "none", [0, 0, 0, 0], [None, None, None, None]),
        ("LD1", "category", "stalking", [1, 1, 0, 1], [50.0, 50.0, 0.0, None]),
        ("LD1", "outcome", "nfa", [0, 0, 0, 0], [None, None, None, None]),
        ("LD1", "domestic_abuse", "yes", [2, 0, 1, 1], [66.7, 0.0, 33.3, None]),
        ("LD1", "domestic_abuse", "no", [0, 1, 0, 0], [0.0, 100.0, 0.0, None]),
        # VW1: F1 yes, F3 na, F5 no.
        ("VW1", "all", "all", [1, 1, 1], [50.0, 50.0, None]),
        ("VW1", "area", "Wessex", [1, 0, 1], [100.0, 0.0, None]),
        # Harassment's only answer is na: counted, but no percentage for any option.
        ("VW1", "category", "harassment", [0, 0, 1], [None, None, None]),
        ("LD3", "outcome", "nfa", [0, 0, 1, 0], [0.0, 0.0, 100.0, None]),
        ("LD2", "category", "breach_of_order", [0, 1, 0], [0.0, 100.0, None]),
        # VW3 (multiple choice): F1 ticked following and contacting, F4 cyber; each over the 2 files answering.
        ("VW3", "all", "all", [1, 1, 1], [50.0, 50.0, 50.0]),
        ("VW3", "area", "Wessex", [1, 1, 0], [100.0, 100.0, 0.0]),
    ],
)
def test_the_data_sheet_matches_the_hand_count(inspection, hand_counted, question, breakdown, group, counts, percents):
    expected = list(zip(OPTIONS[question], counts, percents, strict=True))
    assert rows_for(data_sheet(inspection), question, breakdown, group) == expected


def test_multiple_choice_counts_each_ticked_option_and_each_file_once(inspection, hand_counted):
    table = next(t for t in question_tables(inspection, {"breakdowns": ["outcome"]}) if t.code == "VW3")
    overall = table.overall
    assert (overall.n, overall.counts, overall.percents) == (2, [1, 1, 1], [Decimal("50.0")] * 3)
    charged, nfa = table.breakdown("outcome").rows
    assert (charged.group, charged.n, charged.counts) == ("charged", 1, [1, 1, 0])
    assert (nfa.group, nfa.n, nfa.counts) == ("nfa", 1, [0, 0, 1])


def test_groups_under_five_answers_are_flagged_small(inspection, hand_counted):
    table = next(t for t in question_tables(inspection, {"breakdowns": ["area"]}) if t.code == "LD1")
    assert table.overall.n == 4 and table.overall.small
    assert [(r.label, r.n, r.small) for r in table.breakdown("area").rows] == [
        ("London North", 1, True),
        ("Wessex", 3, True),
    ]


def test_only_the_chosen_sections_and_questions_are_tabled(inspection, hand_counted):
    assert [t.code for t in question_tables(inspection, {"sections": ["VW"]})] == ["VW1", "VW3"]
    assert [t.code for t in question_tables(inspection, {"sections": ["VW"], "questions": ["LD2"]})] == [
        "LD2",
        "VW1",
        "VW3",
    ]
    assert {r[0] for r in data_sheet(inspection, {"questions": ["LD1"]})[1:]} == {"LD1"}


def test_a_headline_crosses_two_breakdowns_with_totals(inspection, hand_counted):
    question = Question.objects.get(question_set=inspection.question_set, code="LD1")
    headline = headline_table(inspection, question, "area", "court")
    assert headline.option_label == "Fully meets the required standard"
    assert headline.columns == ["Magistrates' court", "Crown Court"]  # "none" has no LD1 answer: left out

    def shown(row):
        return [row.label] + [(c.count, c.n, c.percent) for c in [*row.cells, row.total]]

    assert [shown(r) for r in headline.rows] == [
        ["London North", (0, 1, Decimal("0.0")), (0, 0, None), (0, 1, Decimal("0.0"))],
        ["Wessex", (0, 1, Decimal("0.0")), (2, 2, Decimal("100.0")), (2, 3, Decimal("66.7"))],
    ]
    assert shown(headline.total) == [
        "All files",
        (0, 2, Decimal("0.0")),
        (2, 2, Decimal("100.0")),
        (2, 4, Decimal("50.0")),
    ]


def test_percentages_round_half_up_to_one_decimal():
    assert percent(1, 16) == Decimal("6.3")  # 6.25: banker's rounding would give 6.2
    assert percent(2, 3) == Decimal("66.7")
    assert percent(0, 0) is None


def test_the_data_rows_are_the_tables_laid_flat(inspection, hand_counted):
    tables = question_tables(inspection, {}, breakdowns=ALL_BREAKDOWNS)
    rows = list(data_rows(tables))
    assert rows[:4] == [
        ["LD1", "all", "all", "fully_meets", 2, Decimal("50.0")],
        ["LD1", "all", "all", "partially_meets", 1, Decimal("25.0")],
        ["LD1", "all", "all", "not_meets", 1, Decimal("25.0")],
        ["LD1", "all", "all", "na", 1, None],
    ]


def test_build_report_writes_the_xlsx_with_the_data_sheet_and_presentation_sheets(inspection, hand_counted, tmp_path):
    out = tmp_path / "report.xlsx"
    call_command("build_report", "--inspection", inspection.slug, "-o", str(out), stdout=io.StringIO())
    workbook = load_workbook(out, read_only=True)
    assert workbook.sheetnames == ["contents", "headlines", "LD Legal decisions", "VW Victims and witnesses", "data"]
    for name in workbook.sheetnames[:-1]:
        assert next(workbook[name].iter_rows(values_only=True))[0] == "OFFICIAL-SENSITIVE"
    data = [tuple(r) for r in workbook["data"].iter_rows(values_only=True)]
    assert len(data) - 1 == 17 * 13
    legal = [tuple(r) for r in workbook["LD Legal decisions"].iter_rows(values_only=True)]
    wessex = next(r for r in legal if r[0] == "Wessex")  # LD1 by Area comes first
    assert wessex[:8] == ("Wessex", 3, 2, 66.7, 1, 33.3, 0, 0.0)
