"""The PDF report: its pages, its text, its marking, read back with pypdf."""

import io
import re

import pytest
from pypdf import PdfReader

from reports.render import render_report

pytestmark = pytest.mark.django_db


def pages_text(content: bytes) -> list[str]:
    """Each page's text with runs of whitespace made single spaces."""
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(content)).pages]


@pytest.fixture
def hand_counted_pdf(inspection, hand_counted) -> list[str]:
    parameters = {
        "breakdowns": ["area", "court"],
        "headlines": {"questions": ["LD1"], "rows": "area", "columns": "court"},
    }
    return pages_text(render_report(inspection, "pdf", parameters))


def test_it_has_a_cover_contents_notes_headlines_and_a_page_a_section(hand_counted_pdf):
    pages = hand_counted_pdf
    # cover, contents, about, headlines, then LD (LD1–LD3) and VW (VW1, VW3): two pages each.
    assert len(pages) == 8
    assert "Test inspection" in pages[0] and "File examination: tables of results" in pages[0]
    assert "6 files with a submitted primary examination" in pages[0]
    assert "Breakdowns All files; CPS Area; Court" in pages[0]
    assert pages[1].startswith("Contents About these tables")
    assert "About these tables" in pages[2] and "fewer than 5 files answered" in pages[2]
    assert "Headline tables" in pages[3]
    assert "Legal decisions" in pages[4] and "Victims and witnesses" in pages[6]


def test_every_page_is_marked_and_numbered(hand_counted_pdf):
    total = len(hand_counted_pdf)
    for number, text in enumerate(hand_counted_pdf, start=1):
        assert text.count("OFFICIAL-SENSITIVE") >= 2, f"page {number} lacks the marking at top and bottom"
        assert f"Page {number} of {total}" in text


def test_the_contents_give_the_page_each_question_starts_on(hand_counted_pdf):
    contents = hand_counted_pdf[1]
    for code in ("LD1", "LD2", "LD3", "VW1", "VW3"):
        match = re.search(rf"{code}\. [^.]+?[. ]*?(\d+) ", contents)
        assert match, f"{code} not in the contents"
        page = int(match.group(1))
        assert f"{code}. " in hand_counted_pdf[page - 1], f"{code} is not on page {page}"


def test_the_question_tables_show_counts_percentages_n_and_small_groups(hand_counted_pdf):
    text = " ".join(hand_counted_pdf)
    assert "LD1. Did the CPS select the correct charges?" in text
    # All files, options down the side: fully 2 (50.0), partially 1 (25.0), not 1 (25.0), na 1 (–).
    assert "Fully meets the required standard 2 50.0" in text
    assert "Not applicable 1 –" in text
    assert "n = 4 (not applicable: 1) † fewer than 5 files answered" in text
    # By Area: Wessex n=3 (small), fully 2 66.7, partially 1 33.3, not 0 0.0, na 0.
    assert "Wessex † 3 2 66.7 1 33.3 0 0.0 0" in text
    # By court: no court (NFA) answered nothing: a dash for each percentage.
    assert "No court (not charged) † 0 0 – 0 – 0 – 0" in text
    # Multiple choice: shares of the 2 files answering.
    assert "VW3. Which behaviours were evident?" in text and "Following 1 50.0" in text


def test_the_headline_table_crosses_area_and_court(hand_counted_pdf):
    headlines = hand_counted_pdf[3]
    assert "LD1. Did the CPS select the correct charges?" in headlines
    assert "Percentage answering “Fully meets the required standard”: CPS Area by court" in headlines
    assert "CPS Area Magistrates' court Crown Court All" in headlines  # no column for NFA files: none answered
    assert "London North 0.0% (1) † – (0) 0.0% (1) †" in headlines
    assert "Wessex 0.0% (1) † 100.0% (2) † 66.7% (3) †" in headlines
    assert "All files 0.0% (2) † 100.0% (2) † 50.0% (4) †" in headlines


def test_a_report_with_no_submitted_examinations_still_builds(inspection):
    pages = pages_text(render_report(inspection, "pdf", {}))
    assert "0 files with a submitted primary examination" in pages[0]
    assert "n = 0" in " ".join(pages)
