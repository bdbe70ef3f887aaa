"""The PDF annex is tagged for assistive technology: read back its structure tree."""

import io

import pytest
from pypdf import PdfReader

from reports.render import render_report

pytestmark = pytest.mark.django_db


def walk(element, found: list) -> None:
    """Every structure element under element, depth first."""
    element = element.get_object()
    if not hasattr(element, "get"):
        return
    if element.get("/Type") in (None, "/StructElem") and "/S" in element:
        found.append(element)
    kids = element.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, list) else [kids]:
        if hasattr(kid, "get_object") and hasattr(kid.get_object(), "get"):
            walk(kid, found)


@pytest.fixture
def tagged(inspection, hand_counted, settings):
    settings.REPORTS_PDF_PROCESSES = 2  # the parallel path: parts rendered in other processes, then merged
    parameters = {
        "breakdowns": ["area", "court"],
        "headlines": {"questions": ["LD1"], "rows": "area", "columns": "court"},
    }
    reader = PdfReader(io.BytesIO(render_report(inspection, "pdf", parameters)))
    elements: list = []
    walk(reader.trailer["/Root"]["/StructTreeRoot"], elements)
    return reader, elements


def test_it_is_a_tagged_pdf_with_its_title_and_language(tagged):
    reader, _ = tagged
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata.title == "Test inspection: file examination tables"
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()  # declares PDF/UA-1


def test_every_page_of_every_part_belongs_to_the_one_structure_tree(tagged):
    reader, elements = tagged
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    nums = tree["/ParentTree"]["/Nums"]
    keys = {int(nums[i]) for i in range(0, len(nums), 2)}
    page_keys = [int(page["/StructParents"]) for page in reader.pages]
    assert len(set(page_keys)) == len(reader.pages), "two pages share structure parents"
    assert set(page_keys) <= keys
    documents = [e for e in elements if e["/S"] == "/Document"]
    assert len(documents) == 1  # the parts' trees are joined under one document


def test_tables_have_header_cells_that_data_cells_name(tagged):
    _, elements = tagged
    kinds = [e["/S"] for e in elements]
    assert kinds.count("/Table") >= 6  # a headline table and one a question (LD1–LD3, VW1, VW3…)
    header_ids = {str(e["/ID"]) for e in elements if e["/S"] == "/TH"}
    cells = [e for e in elements if e["/S"] == "/TD"]
    assert len(header_ids) > 40 and cells
    # Each number's column header and row header ("Wessex", "Fully meets … (%)") are named on it.
    named = [[str(h) for h in c["/A"]["/Headers"]] for c in cells if "/A" in c and "/Headers" in c["/A"]]
    assert len(named) == len(cells) and all(h and set(h) <= header_ids for h in named)
    # Row and column header for most; the headline tables' national-estimate rows name their column only.
    assert sum(len(h) >= 2 for h in named) >= 0.85 * len(named)
    assert "/Caption" in kinds and "/H2" in kinds and "/H3" in kinds


def test_charts_are_figures_with_a_text_alternative(tagged):
    _, elements = tagged
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert len(figures) == 5  # one a question
    alternatives = [str(f.get("/Alt", "")) for f in figures]
    assert all(alternatives)
    assert any(
        "LD1" in a and "Wessex, n=3" in a and "Fully meets the required standard 66.7%" in a for a in alternatives
    )
