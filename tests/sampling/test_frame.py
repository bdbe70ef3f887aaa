"""Importing a sample frame: CSV and XLSX, forgiving Area names, and a frame with any bad
row refused whole, every bad row named by line and column, nothing stored."""

import datetime
import io

import pytest
from openpyxl import Workbook

from sampling.frame import FrameInvalid, normalise_area_name
from sampling.models import Frame, FrameCase
from sampling.services import SamplingError, frame_import, sample_draw

from .frames import COLUMNS, csv_bytes, xlsx_bytes

GOOD_ROW = {
    "urn": "52WS0000101",
    "area": "Wessex",
    "category": "stalking",
    "outcome": "charged",
    "court": "crown",
    "domestic_abuse": "yes",
    "vrr": "no",
    "decision_date": "2025-02-14",
}


def rows_with(line_changes: dict[int, dict], count: int = 6) -> list[dict]:
    """`count` good rows (lines 2…), with the changes given per line number."""
    rows = [{**GOOD_ROW, "urn": f"52WS{n:07d}"} for n in range(count)]
    for line, change in line_changes.items():
        rows[line - 2].update(change)
    return rows


def refused(inspection, content: bytes, filename: str = "frame.csv") -> FrameInvalid:
    with pytest.raises(FrameInvalid) as error:
        frame_import(inspection=inspection, filename=filename, content=content)
    assert Frame.objects.count() == 0
    assert FrameCase.objects.count() == 0
    return error.value


def test_it_imports_a_good_csv_frame(inspection, lead, frame_rows):
    frame = frame_import(inspection=inspection, filename="frame.csv", content=csv_bytes(frame_rows), user=lead)
    assert frame.row_count == len(frame_rows) == FrameCase.objects.filter(frame=frame).count()
    assert frame.imported_by == lead and frame.imported_at is not None
    stored = FrameCase.objects.get(frame=frame, urn=frame_rows[0]["urn"])
    assert stored.line == 2
    assert normalise_area_name(stored.area.name) == normalise_area_name(frame_rows[0]["area"])
    assert stored.attributes["decision_date"] == frame_rows[0]["decision_date"]


def test_it_imports_a_good_xlsx_frame(inspection, frame_rows):
    frame = frame_import(inspection=inspection, filename="Frame.XLSX", content=xlsx_bytes(frame_rows))
    assert frame.row_count == len(frame_rows)
    assert set(FrameCase.objects.values_list("urn", flat=True)) == {r["urn"] for r in frame_rows}


def test_it_reads_excel_dates_numbers_and_columns_in_any_order(inspection):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Decision_Date", "URN", *COLUMNS[1:-1], "notes"])
    sheet.append([datetime.datetime(2025, 3, 1), 1234567, "CPS Wessex", "stalking", "nfa", None, "no", "yes", "x"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    frame_import(inspection=inspection, filename="frame.xlsx", content=buffer.getvalue())
    case = FrameCase.objects.get()
    assert (case.urn, case.area.name) == ("1234567", "Wessex")
    assert case.attributes == {"category": "stalking", "outcome": "nfa", "court": "", "domestic_abuse": "no",
                               "vrr": "yes", "decision_date": "2025-03-01"}  # fmt: skip


@pytest.mark.parametrize(
    ("written", "area"),
    [
        ("wessex", "Wessex"),
        ("CPS Wessex", "Wessex"),
        ("  WESSEX ", "Wessex"),
        ("cps mersey cheshire", "Mersey-Cheshire"),
        ("Mersey - Cheshire", "Mersey-Cheshire"),
        ("Cymru Wales", "Cymru-Wales"),
        ("CPS-London North", "London North"),
        ("London-South", "London South"),
        ("Yorkshire & Humberside", "Yorkshire and Humberside"),
        ("thames and chiltern", "Thames and Chiltern"),
    ],
)
def test_it_matches_area_names_forgivingly(inspection, written, area):
    frame_import(inspection=inspection, filename="f.csv", content=csv_bytes(rows_with({2: {"area": written}}, 1)))
    assert FrameCase.objects.get().area.name == area


BAD_ROWS = [
    ("empty urn", {"urn": ""}, "urn", "is empty"),
    ("unknown area", {"area": "Atlantis"}, "area", "'Atlantis' is not one of the 14 CPS Areas"),
    ("bad category", {"category": "burglary"}, "category", "'burglary' is not one of"),
    ("bad outcome", {"outcome": "acquitted"}, "outcome", "'acquitted' is not charged or nfa"),
    (
        "court missing when charged",
        {"court": ""},
        "court",
        "a case whose outcome is charged needs magistrates or crown",
    ),
    ("bad court", {"court": "youth"}, "court", "'youth' is not magistrates or crown"),
    ("court present when nfa", {"outcome": "nfa", "court": "crown"}, "court", "must be empty when the outcome is nfa"),
    ("bad domestic abuse", {"domestic_abuse": "maybe"}, "domestic_abuse", "'maybe' is not yes or no"),
    ("bad vrr", {"vrr": "Y"}, "vrr", "'Y' is not yes or no"),
    ("bad date", {"decision_date": "14/02/2025"}, "decision_date", "is not a date written YYYY-MM-DD"),
    ("impossible date", {"decision_date": "2025-02-30"}, "decision_date", "is not a date written YYYY-MM-DD"),
    ("compact date", {"decision_date": "20250214"}, "decision_date", "is not a date written YYYY-MM-DD"),
    ("urn too long", {"urn": "X" * 41}, "urn", "longer than 40 characters"),
]


@pytest.mark.parametrize(("case", "change", "column", "message"), BAD_ROWS, ids=[b[0] for b in BAD_ROWS])
def test_it_refuses_a_csv_frame_with_a_bad_row_naming_line_and_column(inspection, case, change, column, message):
    error = refused(inspection, csv_bytes(rows_with({5: change})))
    assert [(e.line, e.column) for e in error.errors] == [(5, column)]
    assert message in error.errors[0].message


@pytest.mark.parametrize(("case", "change", "column", "message"), BAD_ROWS[:4], ids=[b[0] for b in BAD_ROWS[:4]])
def test_it_refuses_an_xlsx_frame_with_a_bad_row_naming_its_spreadsheet_row(inspection, case, change, column, message):
    error = refused(inspection, xlsx_bytes(rows_with({4: change})), filename="frame.xlsx")
    assert [(e.line, e.column) for e in error.errors] == [(4, column)]


def test_it_names_every_bad_row_and_every_bad_column(inspection):
    rows = rows_with({3: {"area": "Narnia", "vrr": "perhaps"}, 6: {"category": ""}, 7: {"decision_date": "soon"}})
    error = refused(inspection, csv_bytes(rows))
    assert [(e.line, e.column) for e in error.errors] == [
        (3, "area"),
        (3, "vrr"),
        (6, "category"),
        (7, "decision_date"),
    ]
    assert error.bad_lines == [3, 6, 7]
    assert "line 3, area: 'Narnia'" in str(error)


def test_it_names_both_lines_of_a_duplicate_urn(inspection):
    error = refused(inspection, csv_bytes(rows_with({6: {"urn": "52WS0000001"}})))
    assert [(e.line, e.column) for e in error.errors] == [(6, "urn")]
    assert "already on line 3" in error.errors[0].message


def test_one_bad_row_in_a_large_frame_stores_nothing(inspection, frame_rows):
    frame_rows[-1]["court"] = "county"
    error = refused(inspection, csv_bytes(frame_rows))
    assert [(e.line, e.column) for e in error.errors] == [(len(frame_rows) + 1, "court")]


def test_it_names_every_missing_header_column_on_line_1(inspection):
    content = b"urn,area,category,outcome,court,vrr\n52WS1,Wessex,stalking,nfa,,no\n"
    error = refused(inspection, content)
    assert [(e.line, e.column) for e in error.errors] == [(1, "domestic_abuse"), (1, "decision_date")]
    assert "missing from the header row" in error.errors[0].message


def test_it_refuses_a_header_with_a_column_twice(inspection):
    content = b"urn,area,category,outcome,court,domestic_abuse,vrr,decision_date,area\n"
    error = refused(inspection, content)
    assert [(e.line, e.column) for e in error.errors] == [(1, "area")]


def test_line_numbers_count_physical_lines_of_a_csv_with_a_quoted_line_break(inspection):
    header = ",".join(COLUMNS)
    content = (
        f"{header}\n"
        '"52WS1",Wessex,stalking,charged,crown,yes,no,2025-01-01\n'
        '"52WS2","Wes\nsex",stalking,charged,crown,yes,no,2025-01-01\n'
        '"52WS3",Wessex,stalking,charged,crown,maybe,no,2025-01-01\n'
    ).encode()
    error = refused(inspection, content)
    assert [(e.line, e.column) for e in error.errors] == [(3, "area"), (5, "domestic_abuse")]


def test_blank_lines_are_skipped_but_still_counted(inspection):
    header = ",".join(COLUMNS)
    content = (
        f"{header}\n\n"
        "52WS1,Wessex,stalking,charged,crown,yes,no,2025-01-01\n"
        ",,,,,,,\n"
        "52WS2,Wessex,x,charged,crown,yes,no,2025-01-01\n"
    )
    error = refused(inspection, content.encode())
    assert [(e.line, e.column) for e in error.errors] == [(5, "category")]


def test_it_accepts_a_csv_with_a_byte_order_mark_and_any_case_of_values(inspection):
    rows = rows_with({2: {"category": "Stalking", "outcome": "CHARGED", "court": "Crown", "vrr": "No"}}, 1)
    frame_import(inspection=inspection, filename="f.csv", content=b"\xef\xbb\xbf" + csv_bytes(rows))
    case = FrameCase.objects.get()
    assert [case.attributes[c] for c in ("category", "outcome", "court", "vrr")] == [
        "stalking",
        "charged",
        "crown",
        "no",
    ]


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("frame.xls", b"anything", "must be a CSV (.csv) or Excel (.xlsx) file"),
        ("frame.csv", "urn;área\n".encode("latin-1"), "is not UTF-8 text"),
        ("frame.xlsx", b"not a workbook", "is not a readable Excel (.xlsx) workbook"),
        ("frame.csv", b"", "is empty"),
        ("frame.csv", (",".join(COLUMNS) + "\n").encode(), "has no rows"),
    ],
)
def test_it_refuses_a_file_it_cannot_read(inspection, filename, content, message):
    error = refused(inspection, content, filename=filename)
    assert message in str(error)


def test_it_refuses_a_new_frame_once_the_sample_is_drawn(framed_inspection, frame_rows):
    sample_draw(inspection=framed_inspection, seed=1)
    with pytest.raises(SamplingError, match="already been drawn"):
        frame_import(inspection=framed_inspection, filename="again.csv", content=csv_bytes(frame_rows))
    assert Frame.objects.count() == 1


def test_a_second_frame_before_the_draw_becomes_the_latest(framed_inspection, frame_rows):
    second = frame_import(inspection=framed_inspection, filename="second.csv", content=csv_bytes(frame_rows[:500]))
    assert framed_inspection.frames.first() == second
    assert Frame.objects.count() == 2


def test_another_plans_frame_is_checked_against_its_own_attributes_naming_every_bad_cell():
    from django.conf import settings

    from sampling.frame import parse_frame
    from sampling.plan import load_plan_file

    plan = load_plan_file(settings.BASE_DIR / "examples" / "rasso" / "plan.yaml")
    header = "urn,area,offence,decision,venue,vulnerable_victim,advice_date,police_force\n"
    good = "R1,Wessex,rape,charged,crown,yes,2025-01-02,Force\n"
    bad = "R2,Wessex,stalking,charged,,maybe,2025-13-01,\nR3,Wessex,rape,nfa,crown,no,2025-01-02,\n"
    with pytest.raises(FrameInvalid) as refused:
        parse_frame("rasso.csv", (header + good + bad).encode(), {"wessex": 1}, plan.attributes)
    assert [(e.line, e.column) for e in refused.value.errors] == [
        (3, "offence"), (3, "venue"), (3, "vulnerable_victim"), (3, "advice_date"), (4, "venue")
    ]  # fmt: skip
    assert "line 3, venue: is empty: a case whose decision is charged needs crown" in str(refused.value)
    assert "line 4, venue: must be empty when the decision is nfa, not 'crown'" in str(refused.value)
    (row,) = parse_frame("rasso.csv", (header + good).encode(), {"wessex": 1}, plan.attributes)
    assert row.attributes == {"offence": "rape", "decision": "charged", "venue": "crown", "vulnerable_victim": "yes",
                              "advice_date": "2025-01-02", "police_force": "Force"}  # fmt: skip
