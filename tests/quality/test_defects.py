"""Defects a new user met on the quality pages (issue 14), each pinned by a test."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import make_case_file

from .conftest import examine, review_url
from .test_dip_review import start, verdicts

pytestmark = pytest.mark.usefixtures("open_reviews")  # blind reviews: test_blind_review.py

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_the_review_page_shows_no_template_source(client, qa_lead, dip_file):
    start(client, qa_lead, dip_file)
    page = client.get(review_url("quality:review", dip_file)).content.decode()
    assert 'name="agree-VW1"' in page
    assert "{#" not in page and "#}" not in page and "A checkbox, not agree" not in page


def test_no_template_opens_a_one_line_comment_it_does_not_close():
    """Django's {# #} ends on its own line; a comment spread over lines is shown as text."""
    unclosed = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in TEMPLATES.rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\{#(?!.*#\})", line)
    ]
    assert unclosed == []


def test_the_dip_progress_figures_say_consistent_things(client, qa_lead, dip_file, inspection, inspector):
    for n in range(2, 8):
        make_case_file(inspection, f"52WS010{n}", assigned_to=inspector)  # 7 sampled files, 1 dipped
    start(client, qa_lead, dip_file)
    client.post(review_url("quality:review", dip_file), {**verdicts(), "action": "complete"})
    page = client.get(reverse("quality:dashboard", args=[inspection.slug])).content.decode()
    assert "reviews completed of the 2 needed (15% of 7 files, rounded up)" in page
    assert "14.3%</span>" in page  # 1 of 7 sampled files
    assert "of the 7 sampled files reviewed, against the target of 15%" in page
    assert "of the sample reviewed" not in page


def test_feedback_with_disagreements_and_no_change_does_not_say_confirmed(client, qa_lead, dip_file, inspector):
    start(client, qa_lead, dip_file)
    post = verdicts(VW1={"agree": "no", "q": "no", "reason": "No order was sought."})
    client.post(review_url("quality:review", dip_file), {**post, "action": "complete"})
    client.force_login(inspector)
    page = client.get(reverse("quality:feedback", args=[dip_file.inspection.slug])).content.decode()
    outcome = page.split("data-outcome>")[1].split("</p>")[0]
    assert "Confirmed" not in outcome
    assert "Disagreed, not changed" in outcome and "1 disagreement;" in outcome
    row = page.split("VW1.")[1].split("</tr>")[0]
    assert "Was a restraining order applied for at Crown Court?" in row
    assert "No: your answer stands" in row


def test_feedback_on_full_agreement_says_confirmed(client, qa_lead, inspection, inspector):
    case_file = make_case_file(inspection, "52WS0020", assigned_to=inspector, in_dip=True)
    examine(case_file, inspector, {"LD1": "fully_meets", "VW1": "yes"})
    start(client, qa_lead, case_file)
    client.post(review_url("quality:review", case_file), {**verdicts(("LD1", "VW1")), "action": "complete"})
    client.force_login(inspector)
    page = client.get(reverse("quality:feedback", args=[inspection.slug])).content.decode()
    assert "Confirmed</strong> the QA lead agreed with every answer" in page
