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
    assert "Contents About these tables Headline tables Legal decisions" in pages[1]
    assert "About these tables" in pages[2] and "fewer than 5 files answered" in pages[2]
    assert "Headline tables" in pages[3]
    assert "Legal decisions" in pages[4] and "Victims and witnesses" in pages[6]


def test_every_page_is_marked_and_numbered(hand_counted_pdf):
    total = len(hand_counted_pdf)
    for number, text in enumerate(hand_counted_pdf, start=1):
        assert text.count("OFFICIAL-SENSITIVE") >= 2, f"page {number} lacks the marking at top and bottom"
        assert f"Page {number} of {total}" in text


def test_the_contents_links_to_and_prints_the_page_each_question_starts_on(inspection, hand_counted):
    content = render_report(inspection, "pdf", {"breakdowns": ["area", "court"]})
    reader = PdfReader(io.BytesIO(content))
    texts = [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]
    destinations = {name: reader.get_destination_page_number(d) for name, d in reader.named_destinations.items()}
    links = {}
    for annotation in reader.pages[1].get("/Annots", []):
        annotation = annotation.get_object()
        if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
            links[str(annotation["/Dest"])] = destinations[str(annotation["/Dest"])]
    for code in ("LD1", "LD2", "LD3", "VW1", "VW3"):
        page = links[f"q-{code}"]  # the contents line links to the page the question starts on
        assert f"{code}. " in texts[page] and "Table A" in texts[page], f"{code} is not on page {page + 1}"
        assert re.search(rf"\b{page + 1}\b", texts[1]), f"the contents do not print page {page + 1}"
    assert texts[links["about"]].count("About these tables") >= 1


def test_the_question_tables_are_numbered_with_base_and_source(hand_counted_pdf):
    text = " ".join(hand_counted_pdf)
    assert "LD1. Did the CPS select the correct charges?" in text
    assert "Figure A1. LD1: answers, all files and by CPS Area, percentage of files answering" in text
    assert "Table A1. LD1: percentage of files answering, all files and by group" in text
    # All files: n 4; fully 2 (50.0), partially 1 (25.0), not 1 (25.0); not applicable 1 file.
    assert "All files † 4 50.0 25.0 25.0 1" in text
    assert (
        "Base: n, the files in each group answering LD1, not applicable excluded (all files: n = 4, not applicable 1)"
        in text
    )
    assert "Source: Test inspection, file examination" in text
    # By CPS Area (sentence case: the acronym keeps its capitals): Wessex n=3 (small), 66.7, 33.3, 0.0, na 0.
    assert "By CPS Area" in text and "Wessex † 3 66.7 33.3 0.0 0" in text
    # By court: no court (NFA) answered nothing: a dash for each percentage.
    assert "By court" in text and "No court (not charged) † 0 – – – 0" in text
    # Multiple choice: shares of the 2 files answering, in the chart's labels and the table.
    assert "VW3. Which behaviours were evident?" in text and "Following: 50.0%" in text
    assert "by cps area" not in text


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


def test_a_headline_is_never_split_from_its_caption_or_its_estimates(inspection, hand_counted):
    codes = ["LD1", "LD2", "LD3", "VW1"]
    parameters = {"breakdowns": ["area"], "headlines": {"questions": codes, "rows": "court", "columns": "area"}}
    pages = pages_text(render_report(inspection, "pdf", parameters))
    headline_pages = [page for page in pages if "Table H1." in page or "Headline tables OFFICIAL" in page]
    assert len(headline_pages) >= 2  # enough headlines that the page must break among them
    header = "Answer Files % unweighted Wilson 95% CI % national estimate 95% CI "
    for number, code in enumerate(codes, start=1):
        holding = [page for page in headline_pages if f"Table H{number}." in page]
        assert len(holding) == 1, code
        page = holding[0]
        # The headline table's rows, its base, and its estimates with their rows, all on the caption's page.
        assert f"Base: files answering {code}," in page, code
        estimates = page.split(f"{code}, all files: unweighted", 1)[1]
        assert header in estimates and not estimates.split(header, 1)[1].startswith("OFFICIAL-SENSITIVE"), code
