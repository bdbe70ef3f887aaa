"""The PDF's assembly with warm renderer processes: front matter and page numbers at once."""

import io
import re

import pytest
from pypdf import PdfReader

from reports.parameters import full_report_parameters, normalise_parameters
from reports.pdf_parts import RendererPool, assemble_in, front_probe, render_parts
from reports.render import pdf_plan

pytestmark = pytest.mark.django_db


def test_page_numbers_are_counted_again_when_the_contents_take_another_page(inspection, hand_counted):
    plan = pdf_plan(inspection, normalise_parameters(inspection, full_report_parameters(inspection)))
    with RendererPool(2, spare=True) as pool:
        *rendered, probe = render_parts([*plan.parts, front_probe(plan)], plan.base_url, 2, pool=pool)
        probe.pages -= 1  # as if the probe had guessed the front matter one page short
        pdf = assemble_in(pool, plan, rendered, probe)
    pages = PdfReader(io.BytesIO(pdf)).pages
    total = len(pages)
    assert total == probe.pages + 1 + sum(part.pages for part in rendered)
    for number, page in enumerate(pages, start=1):
        assert re.search(rf"Page {number} of {total}\b", page.extract_text()), number
