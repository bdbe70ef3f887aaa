"""The report workbook: marked on every sheet, a contents sheet that links, whole-word sheet names."""

import io

import pytest
from openpyxl import load_workbook

from casefiles.workbooks import sheet_name
from reports.render import render_report
from reports.tables import DATA_COLUMNS

pytestmark = pytest.mark.django_db


def test_every_sheet_is_marked_in_its_printed_header_and_all_but_data_in_a_cell(inspection, hand_counted):
    parameters = {"breakdowns": ["area"], "headlines": {"questions": ["LD1"], "rows": "area", "columns": "court"}}
    workbook = load_workbook(io.BytesIO(render_report(inspection, "xlsx", parameters)))
    assert workbook.sheetnames == ["contents", "headlines", "LD Legal decisions", "VW Victims and witnesses", "data"]
    for sheet in workbook.worksheets:
        assert sheet.oddHeader.center.text == "OFFICIAL-SENSITIVE", sheet.title
        assert sheet.oddFooter.center.text == "OFFICIAL-SENSITIVE", sheet.title
    for sheet in workbook.worksheets[:-1]:
        assert sheet["A1"].value == "OFFICIAL-SENSITIVE", sheet.title
    # The data sheet stays SPEC's tidy table: its six columns first from row 1, frozen, no marking cell.
    data = workbook["data"]
    assert [c.value for c in data[1]][: len(DATA_COLUMNS)] == DATA_COLUMNS
    assert "OFFICIAL-SENSITIVE" not in {c.value for row in data.iter_rows(max_row=3) for c in row}
    assert data.freeze_panes == "A2"


def test_the_contents_link_each_question_to_its_sheet(inspection, hand_counted):
    workbook = load_workbook(io.BytesIO(render_report(inspection, "xlsx", {})))
    links = [(c.value, c.hyperlink.location) for c in workbook["contents"]["C"] if c.hyperlink]
    assert ("LD Legal decisions", "'LD Legal decisions'!A1") in links
    assert all(target.split("!")[0].strip("'") in workbook.sheetnames for _, target in links)


def test_sheet_names_are_cut_between_words_and_kept_unique():
    used: set[str] = set()
    name = sheet_name("LD Legal decisions: charging and charge selection", used)
    assert name == "LD Legal decisions charging and" and len(name) <= 31
    again = sheet_name("LD Legal decisions: charging and charge selection", used)
    assert again == "LD Legal decisions charging 2" and len(again) <= 31
    assert sheet_name("dip/by question [all]", set()) == "dip by question all"
