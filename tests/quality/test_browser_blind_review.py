"""The blind re-examination in headless Chromium: the QA lead answers a dipped file without
seeing the inspector's answers, sees the comparison, adopts one of their answers and opens a
query on another; the inspector replies; the QA lead closes the query and completes the
review; each answer's history shows every step. axe-core checks the new pages."""

import pytest

from casefiles.models import AnswerChange
from quality.models import AnswerQuery, DipReview
from tests.conftest import PASSWORD

from .test_browser_dip_review import serious_violations, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def saved(page, code: str) -> None:
    page.locator(f"#q-{code} [data-save-state]").get_by_text("Saved at").wait_for()


def test_a_blind_review_from_answering_to_reconciled(page, live_server, sign_in, qa_lead, inspector, dip_file):
    slug, base = dip_file.inspection.slug, live_server.url
    sign_in("qa", PASSWORD)
    page.goto(f"{base}/inspections/{slug}/quality/dip/")
    page.get_by_role("button", name="Start the review of 52WS0001").click()

    # 1. Blind: the examination page, none of the inspector's answers on it.
    page.get_by_role("heading", name="Examine file 52WS0001").wait_for()
    assert page.get_by_text("blind dip review").first.is_visible()
    assert page.get_by_text("Right charge.").count() == 0
    assert serious_violations(page) == []
    page.locator("#q-LD1").get_by_label("Fully meets the required standard").check()
    saved(page, "LD1")
    page.locator("#q-VW1").get_by_label("No", exact=True).check()
    saved(page, "VW1")
    page.locator("#q-VW3").get_by_label("Following").check()
    saved(page, "VW3")
    page.get_by_role("button", name="Submit and compare").click()

    # 2. The comparison: two differences marked.
    page.get_by_text("Your answers to 52WS0001 are in").wait_for()
    assert page.locator("[data-differs=yes]").count() == 2
    vw1 = page.locator("#item-VW1")
    assert vw1.locator("[data-inspector-answer]").inner_text() == "Yes"
    assert vw1.locator("[data-qa-answer]").inner_text() == "No"
    assert page.locator("#item-LD1").get_by_text("Same").is_visible()
    assert serious_violations(page) == []
    vw1.get_by_label("Adopt my answer").check()
    vw1.get_by_label("Reason, or the query for the inspector").fill("No order was sought at sentence.")
    vw3 = page.locator("#item-VW3")
    vw3.get_by_label("Ask the inspector (open a query)").check()
    vw3.get_by_label("Reason, or the query for the inspector").fill("Where is the contacting recorded?")
    page.get_by_role("button", name="Save decisions").click()
    page.get_by_text("Your decisions have been saved.").wait_for()
    assert page.locator("#item-VW1 [data-resolution]").get_by_text("QA answer adopted").is_visible()
    assert page.locator("#item-VW3 [data-resolution]").get_by_text("Open query").is_visible()
    sign_out(page)

    # 3. The inspector sees the query on their home page and replies.
    sign_in("inspector1", PASSWORD)
    page.locator("#open-queries").wait_for()
    assert serious_violations(page) == []  # the home page with its open query
    page.get_by_role("link", name="52WS0001, VW3").click()
    page.get_by_text("Where is the contacting recorded?").wait_for()
    assert serious_violations(page) == []
    page.get_by_label("Your reply, or why you change the answer").fill("In the MG3, page 2.")
    page.get_by_role("button", name="Send the reply").click()
    page.get_by_text("Your reply has been added.").wait_for()
    sign_out(page)

    # 4. The QA lead closes the query and completes the review.
    sign_in("qa", PASSWORD)
    page.locator("#open-queries").get_by_role("link", name="52WS0001, VW3").click()
    page.get_by_role("button", name="Close the query").click()
    page.get_by_text("Query on VW3 closed.").wait_for()
    history = page.locator("#answer-history")
    for step in ("Answered", "Opened the query", "Replied", "Closed the query"):
        assert history.get_by_text(step, exact=True).count() == 1, step
    assert history.get_by_text("In the MG3, page 2.").is_visible()
    page.goto(f"{base}/inspections/{slug}/quality/dip/52WS0001/")
    page.get_by_role("button", name="Complete the review").click()
    page.get_by_text("Review of 52WS0001 completed: amended.").wait_for()
    assert DipReview.objects.get().status == "amended"
    assert not AnswerQuery.objects.filter(status="open").exists()

    # 5. VW1's history: the inspector's answer, then the QA lead's adopted.
    page.goto(f"{base}/inspections/{slug}/quality/answers/52WS0001/VW1/")
    rows = page.locator("#answer-history tbody tr")
    assert rows.nth(0).get_by_text("Answered").is_visible()
    adopted = page.locator("#answer-history tr", has_text="QA lead's answer adopted")
    assert adopted.get_by_text("Yes → No").is_visible()
    assert adopted.get_by_text("No order was sought at sentence.").is_visible()
    assert serious_violations(page) == []
    change = AnswerChange.objects.filter(answer__question__code="VW1", answer__examination__kind="primary").last()
    assert (change.old_value, change.new_value, change.source) == ("yes", "no", "qa_reconcile")
