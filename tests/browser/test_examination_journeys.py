"""Journeys through the examination pages in headless Chromium."""

from pathlib import Path

import pytest
from django.utils import timezone

from casefiles.models import Answer, AnswerChange, Examination
from tests.conftest import PASSWORD, make_case_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()


def examine(page, live_server, case_file) -> None:
    page.goto(f"{live_server.url}{case_file.get_absolute_url()}")
    page.get_by_role("heading", name=f"Examine file {case_file.urn}").wait_for()


def saved(page, code: str) -> None:
    page.locator(f"#q-{code} [data-save-state]").get_by_text("Saved at").wait_for()


def serious_violations(page) -> list[str]:
    page.evaluate(AXE)  # through DevTools: the Content-Security-Policy refuses an inline script tag
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_an_inspector_answers_a_file_from_start_to_submit(page, live_server, sign_in, inspector, case_file):
    sign_in("inspector1", PASSWORD)
    page.get_by_role("link", name="Your files to examine").click()
    page.get_by_role("link", name="Start the examination for 52WS0001").click()
    page.locator("#q-LD1").get_by_label("Fully meets the required standard").check()
    saved(page, "LD1")
    page.locator("#q-VW1").get_by_label("Yes").check()
    saved(page, "VW1")
    page.get_by_label("VW2. Days from file submission").fill("12")
    page.get_by_label("Comment on VW1").click()  # leave the number field
    saved(page, "VW2")
    assert page.get_by_text("All changes saved.").is_visible()
    page.get_by_role("button", name="Check your answers").click()
    page.get_by_role("heading", name="Check your answers before submitting").wait_for()
    page.get_by_role("button", name="Submit examination").click()
    page.get_by_text("You have submitted your examination of 52WS0001").wait_for()
    assert page.locator("td", has_text="Submitted").count() == 1
    examination = Examination.objects.get()
    assert examination.status == "submitted"
    assert dict(Answer.objects.values_list("question__code", "value")) == {
        "LD1": "fully_meets",
        "VW1": "yes",
        "VW2": "12",
    }


def test_submitting_too_early_links_each_missing_answer(page, live_server, sign_in, inspector, case_file):
    sign_in("inspector1", PASSWORD)
    page.goto(f"{live_server.url}/inspections/{case_file.inspection.slug}/files/{case_file.urn}/check/")
    page.get_by_role("button", name="Submit examination").click()
    summary = page.locator(".govuk-error-summary")
    summary.get_by_text("You cannot submit yet").wait_for()
    assert page.title().startswith("Error: ")
    summary.get_by_role("link", name="Did the CPS select the correct charges? – Answer this question").click()
    assert page.evaluate("document.activeElement.id") == "q-LD1-fully_meets"


def test_a_question_appears_and_disappears_with_an_earlier_answer(page, live_server, sign_in, inspector, case_file):
    sign_in("inspector1", PASSWORD)
    examine(page, live_server, case_file)
    follow_up = page.locator("#q-LD2")
    assert follow_up.is_hidden()
    page.locator("#q-LD1").get_by_label("Does not meet the required standard").check()
    follow_up.wait_for(state="visible")
    page.locator("#q-LD1").get_by_label("Fully meets the required standard").check()
    follow_up.wait_for(state="hidden")
    assert page.locator("[data-section-count=LD]").inner_text() == "1 of 1 answered"
    # Every autosave finishes before the test ends: emptying the database under a request
    # still in flight can deadlock on PostgreSQL.
    page.get_by_text("All changes saved.").wait_for()


def test_two_tabs_editing_one_answer_show_the_conflict_and_lose_nothing(
    page, live_server, sign_in, inspector, case_file
):
    sign_in("inspector1", PASSWORD)
    examine(page, live_server, case_file)
    other = page.context.new_page()
    examine(other, live_server, case_file)

    page.locator("#q-LD1").get_by_label("Fully meets the required standard").check()
    saved(page, "LD1")
    other.locator("#q-LD1").get_by_label("Partially meets the required standard").check()
    conflict = other.locator("#q-LD1 [data-conflict]")
    conflict.get_by_text("saved a different answer: “Fully meets the required standard”").wait_for()
    assert Answer.objects.get().value == "fully_meets"  # nothing overwritten

    conflict.get_by_role("button", name="Keep my answer").click()
    saved(other, "LD1")
    assert Answer.objects.get().value == "partially_meets"
    assert list(AnswerChange.objects.order_by("id").values_list("new_value", flat=True)) == [
        "fully_meets",
        "partially_meets",
    ]


def test_an_answer_made_offline_is_sent_when_the_connection_returns(page, live_server, sign_in, inspector, case_file):
    sign_in("inspector1", PASSWORD)
    examine(page, live_server, case_file)
    page.context.set_offline(True)
    page.locator("#q-LD1").get_by_label("Partially meets the required standard").check()
    page.get_by_text("Offline: 1 unsaved answer is kept on this device").wait_for()
    stored = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('cfe:'))")
    assert len(stored) == 1
    assert not Answer.objects.exists()
    page.context.set_offline(False)
    saved(page, "LD1")
    assert Answer.objects.get().value == "partially_meets"
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('cfe:')).length") == 0


def test_signing_out_clears_answers_kept_in_the_browser(page, live_server, sign_in, inspector, case_file):
    sign_in("inspector1", PASSWORD)
    examine(page, live_server, case_file)
    page.route("**/answers/**", lambda route: route.abort())  # the server cannot be reached
    page.locator("#q-LD1").get_by_label("Partially meets the required standard").check()
    page.get_by_text("Saving 1 answer").wait_for()
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('cfe:')).length") == 1
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in to Case File Examination").wait_for()
    assert "have not reached the server" in dialogs[0]
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('cfe:')).length") == 0


def test_the_lead_assigns_files_and_sees_progress_move(
    page, live_server, sign_in, lead, inspector, colleague, inspection
):
    files = [make_case_file(inspection, f"52WS00{n:02d}") for n in range(1, 5)]
    sign_in("lead", PASSWORD)
    page.get_by_role("link", name="Assign files to inspectors").click()
    page.get_by_role("button", name="Assign every unassigned file, balanced").click()
    page.get_by_text("Assigned 4 unassigned file(s)").wait_for()
    assert page.locator("#unassigned-count").inner_text() == "0"
    page.get_by_role("link", name="Progress against the plan").click()
    assert page.locator("#submitted-count").inner_text() == "0"
    files[0].refresh_from_db()
    Examination.objects.create(
        case_file=files[0],
        examiner=files[0].assigned_to,
        question_set=inspection.question_set,
        status="submitted",
        submitted_at=timezone.now(),
    )
    page.reload()
    assert page.locator("#submitted-count").inner_text() == "1"


def test_the_main_pages_have_no_serious_accessibility_violations(
    page, live_server, sign_in, inspector, lead, case_file
):
    sign_in("inspector1", PASSWORD)
    page.goto(f"{live_server.url}/inspections/{case_file.inspection.slug}/my-files/")
    assert serious_violations(page) == []
    examine(page, live_server, case_file)
    assert serious_violations(page) == []
    page.get_by_role("button", name="Sign out").click()
    sign_in("lead", PASSWORD)
    page.goto(f"{live_server.url}/inspections/{case_file.inspection.slug}/progress/")
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/inspections/{case_file.inspection.slug}/assignments/")
    assert serious_violations(page) == []


def test_the_examination_page_works_with_the_keyboard_alone(page, live_server, sign_in, inspector, case_file):
    sign_in("inspector1", PASSWORD)
    examine(page, live_server, case_file)
    page.locator("#q-LD1-fully_meets").focus()
    page.keyboard.press("ArrowDown")  # radios move with arrow keys
    saved(page, "LD1")
    assert Answer.objects.get().value == "partially_meets"


def test_choosing_an_answer_that_needs_a_comment_says_so_at_once(page, live_server, sign_in, inspector, case_file):
    sign_in("inspector1", PASSWORD)
    examine(page, live_server, case_file)
    needed = page.locator("#c-needed-LD1")
    assert needed.is_hidden()
    assert page.locator("#c-hint-LD1").inner_text() == (
        "A comment is needed when you answer Does not meet the required standard."
    )
    page.locator("#q-LD1").get_by_label("Does not meet the required standard").check()
    needed.wait_for(state="visible")
    assert page.locator("[data-section-count=LD]").inner_text() == "0 of 2 answered"  # LD1 lacks its comment
    page.get_by_label("Comment on LD1").fill("The wrong charge was chosen")
    needed.wait_for(state="hidden")
    assert page.locator("[data-section-count=LD]").inner_text() == "1 of 2 answered"
    page.get_by_role("link", name="Go to the next unanswered question").click()
    assert page.evaluate("document.activeElement.id") == "q-LD2-yes"
