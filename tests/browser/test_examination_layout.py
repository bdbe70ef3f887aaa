"""The examination page with the real question set (v2): the progress panel stays in view, the
next unanswered question is one action away, check your answers lists every answer."""

import os
from pathlib import Path

import pytest

from casefiles.models import Answer, Area
from casefiles.services import answers_record_new, examination_open
from questionset.models import Question
from questionset.services import DEFAULT_QUESTION_SET, question_set_load_file
from tests.browser.test_examination_journeys import saved, serious_violations
from tests.conftest import PASSWORD, make_case_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = os.environ.get("SCREENSHOT_DIR", "")


@pytest.fixture
def full_file(inspection, inspector):
    inspection.question_set = question_set_load_file(path=DEFAULT_QUESTION_SET)
    inspection.save()
    other = make_case_file(inspection, "52WS0002", assigned_to=inspector, area=Area.objects.get(name="London North"))
    examination_open(case_file=other, examiner=inspector)
    return make_case_file(inspection, "52WS0001", assigned_to=inspector)


def shoot(page, name: str, full_page: bool = False) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=full_page)


def in_viewport(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


def test_progress_and_save_status_stay_in_view_at_the_bottom_of_the_longest_section(
    page, live_server, sign_in, inspector, full_file
):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in("inspector1", PASSWORD)
    page.goto(f"{live_server.url}{full_file.get_absolute_url()}")
    longest = page.evaluate(
        """() => [...document.querySelectorAll('[data-section]:not([hidden])')]
              .sort((a, b) => b.offsetHeight - a.offsetHeight)[0].dataset.section"""
    )
    choice = page.locator(f"[data-section={longest}] .app-question:not([hidden]) .govuk-radios__input").first
    choice.check()
    code = choice.get_attribute("name")[2:]
    saved(page, code)
    page.evaluate(f"document.querySelector('[data-section={longest}]').scrollIntoView({{block: 'end'}})")
    page.wait_for_timeout(200)
    assert page.evaluate("window.scrollY") > 2000
    assert in_viewport(page, "[data-overall-count]")
    assert in_viewport(page, "#save-status")
    assert page.locator("#save-status").inner_text() == "All changes saved."
    assert page.locator("[data-overall-count]").inner_text().startswith("1 of ")
    current = page.locator("[data-section-nav][aria-current]")
    assert current.get_attribute("data-section-nav") == longest
    shoot(page, "examine-1280-bottom-of-longest-section")

    page.get_by_role("link", name="Go to the next unanswered question").click()
    focused = page.evaluate("document.activeElement.closest('.app-question').dataset.code")
    assert focused and focused != code
    assert page.evaluate("document.activeElement.closest('.app-question').getBoundingClientRect().top") >= 0
    assert serious_violations(page) == []


def test_reopening_a_file_goes_to_the_first_question_still_to_do(page, live_server, sign_in, inspector, full_file):
    examination = examination_open(case_file=full_file, examiner=inspector)
    questions = list(Question.objects.in_page_order(examination.question_set_id).filter(section__code="FS"))
    answers_record_new(
        examination=examination,
        values={q: (q.options.first().code, "") for q in questions if q.has_options and not q.applies_when},
        user=inspector,
        source="test",
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in("inspector1", PASSWORD)
    page.goto(f"{live_server.url}{full_file.get_absolute_url()}")
    page.wait_for_timeout(300)
    assert page.evaluate("window.scrollY") > 500
    todo = page.evaluate(
        "() => { const l = document.querySelector('[data-next-incomplete]').getAttribute('href');"
        " return document.querySelector(l).closest('.app-question').getBoundingClientRect().top; }"
    )
    assert 0 <= todo < 100


def test_check_your_answers_shows_every_answer_and_each_change_link_works(
    page, live_server, sign_in, inspector, full_file
):
    examination = examination_open(case_file=full_file, examiner=inspector)
    questions = [q for q in Question.objects.in_page_order(examination.question_set_id) if q.has_options]
    answers_record_new(
        examination=examination,
        values={q: (q.options.first().code, "Seen") for q in questions if not q.applies_when},
        user=inspector,
        source="test",
    )
    sign_in("inspector1", PASSWORD)
    for width, height in ((1280, 900), (375, 800)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/inspections/{full_file.inspection.slug}/my-files/")
        shoot(page, f"queue-{width}", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert serious_violations(page) == []
        page.goto(f"{live_server.url}{full_file.get_absolute_url()}")
        page.wait_for_timeout(300)
        shoot(page, f"examine-{width}")
        assert in_viewport(page, "[data-overall-count]") and in_viewport(page, "#save-status")
        page.goto(f"{live_server.url}/inspections/{full_file.inspection.slug}/files/{full_file.urn}/check/")
        shoot(page, f"check-answers-{width}")
        assert serious_violations(page) == []

    rows = page.locator("[data-check]")
    applicable = page.evaluate("document.querySelectorAll('[data-check]').length")
    assert applicable >= 30
    answered = [q.code for q in questions if not q.applies_when]
    for code in answered:
        assert "Seen" in page.locator(f"[data-check={code}]").inner_text()
    for n in range(rows.count()):
        row = rows.nth(n)
        code = row.get_attribute("data-check")
        row.get_by_role("link", name="Change").click()
        for _ in range(50):  # (wait_for_function evaluates a string: the CSP refuses it)
            if page.evaluate("() => !!(document.activeElement && document.activeElement.closest('.app-question'))"):
                break
            page.wait_for_timeout(100)
        assert page.evaluate("document.activeElement.closest('.app-question').dataset.code") == code
        page.go_back()
        if n > 4:
            break


def test_the_time_out_warning_on_the_examination_page_keeps_unsent_answers(
    page, live_server, sign_in, inspector, case_file, settings
):
    settings.SESSION_IDLE_TIMEOUT = 70
    settings.SESSION_IDLE_WARNING = 66  # the warning opens a few seconds after the page loads
    sign_in("inspector1", PASSWORD)
    page.goto(f"{live_server.url}{case_file.get_absolute_url()}")
    page.context.set_offline(True)
    page.locator("#q-LD1").get_by_label("Partially meets the required standard").check()
    page.get_by_text("Offline: 1 unsaved answer is kept on this device").wait_for()
    dialog = page.locator("#timeout-warning")
    dialog.wait_for(state="visible", timeout=15_000)
    assert serious_violations(page) == []
    page.context.set_offline(False)
    page.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden")
    saved(page, "LD1")
    assert page.locator("#save-status").inner_text() == "All changes saved."
    assert Answer.objects.get().value == "partially_meets"
