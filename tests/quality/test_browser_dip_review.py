"""The QA lead's dip review in headless Chromium: from the queue to an amended outcome, the
change in the file's history, and the inspector reading the feedback."""

from pathlib import Path

import pytest

from casefiles.models import Answer, AnswerChange
from quality.models import DipReview
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("open_reviews")]


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Username").wait_for()


def test_a_dip_review_from_the_queue_to_amended(page, live_server, sign_in, qa_lead, inspector, dip_file):
    slug = dip_file.inspection.slug
    sign_in("qa", PASSWORD)
    page.goto(f"{live_server.url}/inspections/{slug}/quality/dip/")
    row = page.locator("#dip-queue tr", has_text="52WS0001")
    assert row.get_by_text("Ready to review").is_visible()
    row.get_by_role("button", name="Start the review of 52WS0001").click()
    page.get_by_role("heading", name="Dip review of 52WS0001").wait_for()

    item = page.locator("#item-VW1")
    assert item.locator("[data-inspector-answer]").inner_text() == "Yes"
    answer = item.get_by_role("radio", name="No", exact=True)
    assert answer.is_hidden()  # revealed only when the QA lead disagrees
    item.get_by_label("I disagree").check()
    answer.check()
    item.get_by_label("Why you disagree").fill("No restraining order was sought at sentence.")
    item.get_by_label("Agreed change: record my answer in the inspector's examination").check()
    page.get_by_label("Feedback for the inspector (optional)").fill("A careful examination.")
    page.get_by_role("button", name="Complete the review").click()

    page.get_by_text("Review of 52WS0001 completed: amended.").wait_for()
    assert page.locator("#dip-queue tr", has_text="52WS0001").get_by_text("Amended").is_visible()
    assert DipReview.objects.get().status == "amended"
    stored = Answer.objects.get(examination__kind="primary", question__code="VW1")
    assert stored.value == "no"
    change = AnswerChange.objects.filter(answer=stored).last()
    assert (change.old_value, change.new_value, change.source) == ("yes", "no", "qa_amendment")

    page.goto(f"{live_server.url}/inspections/{slug}/files/52WS0001/")
    history = page.locator("tr", has_text="qa_amendment")
    assert history.locator("td").nth(3).inner_text().startswith("yes")
    assert history.locator("td").nth(4).inner_text().startswith("no")
    sign_out(page)

    sign_in("inspector1", PASSWORD)
    page.goto(f"{live_server.url}/inspections/{slug}/quality/feedback/")
    feedback = page.locator("#feedback-52WS0001")
    assert feedback.get_by_text("Amended").is_visible()
    assert feedback.get_by_text("A careful examination.").is_visible()
    row = feedback.locator("tr", has_text="VW1")
    assert row.get_by_text("No restraining order was sought at sentence.").is_visible()
    assert row.get_by_text("Yes, by agreement").is_visible()


AXE = (Path(__file__).parent.parent / "browser" / "vendor" / "axe.min.js").read_text()


def serious_violations(page) -> list[str]:
    page.evaluate(AXE)  # through DevTools: the Content-Security-Policy refuses an inline script tag
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_the_quality_pages_have_no_serious_accessibility_failures(page, live_server, sign_in, qa_lead, dip_file):
    slug = dip_file.inspection.slug
    sign_in("qa", PASSWORD)
    page.goto(f"{live_server.url}/inspections/{slug}/quality/dip/")
    page.get_by_role("button", name="Start the review of 52WS0001").click()
    page.get_by_role("heading", name="Dip review of 52WS0001").wait_for()
    page.locator("#item-VW3").get_by_label("I disagree").check()
    assert serious_violations(page) == []
    for path in ["quality/", "quality/dip/", "exercises/"]:
        page.goto(f"{live_server.url}/inspections/{slug}/{path}")
        assert serious_violations(page) == [], path
