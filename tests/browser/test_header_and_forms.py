"""The header, the service navigation and two crispy-forms-gds forms in headless Chromium with
GOV.UK Frontend 6: no serious accessibility violations (axe-core), at a desktop and a phone width."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_examination_journeys import serious_violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_team_page_and_its_error_summary_have_no_serious_accessibility_violations(
    page, live_server, sign_in, lead, inspector, inspection
):
    sign_in("lead", PASSWORD)
    page.goto(f"{live_server.url}/inspections/{inspection.slug}/team/")
    expect(page.get_by_role("link", name="Team")).to_have_attribute("aria-current", "page")
    assert serious_violations(page) == []
    page.get_by_label("Username").fill("nobody-here")
    page.get_by_role("button", name="Add to the team").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is no active account with that username.")
    expect(summary).to_be_focused()  # GOV.UK Frontend's error summary took focus: its JavaScript ran
    assert serious_violations(page) == []


def test_the_report_request_with_its_publication_fields_has_no_serious_accessibility_violations(
    page, live_server, sign_in, writer, inspection
):
    sign_in("writer", PASSWORD)
    page.goto(f"{live_server.url}/reports/?inspection={inspection.pk}")
    page.get_by_role("radio", name="Publication copy", exact=False).check()
    page.get_by_label("Marking of the publication copy").select_option("OFFICIAL")
    threshold = page.get_by_label("Withhold counts below")
    expect(threshold).to_have_class("govuk-input govuk-input--width-4")  # styled, not a bare number box
    threshold.fill("0")
    page.get_by_role("button", name="Build report").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert serious_violations(page) == []


@pytest.mark.parametrize("width", [375, 1280])
def test_the_account_area_stays_inside_the_header_and_the_navigation_below_it(
    page, live_server, sign_in, lead, inspection, width
):
    page.set_viewport_size({"width": width, "height": 800})
    sign_in("lead", PASSWORD)
    page.goto(f"{live_server.url}/inspections/{inspection.slug}/progress/")
    header = page.locator(".app-header").bounding_box()
    account = page.locator(".app-header__account").bounding_box()
    navigation = page.locator(".govuk-service-navigation").bounding_box()
    assert header["y"] <= account["y"] and account["y"] + account["height"] <= header["y"] + header["height"]
    assert account["x"] + account["width"] <= width
    assert navigation["y"] >= header["y"] + header["height"]  # below the header's bar, not over it
    expect(page.get_by_role("note", name="Protective marking")).to_have_text("OFFICIAL-SENSITIVE")
    assert serious_violations(page) == []


def test_on_a_phone_the_sections_open_from_the_menu_button(page, live_server, sign_in, lead, inspection):
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in("lead", PASSWORD)
    page.goto(f"{live_server.url}/inspections/{inspection.slug}/progress/")
    menu = page.get_by_role("button", name="Menu")
    progress = page.get_by_role("link", name="Progress", exact=True)
    expect(progress).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(progress).to_have_attribute("aria-current", "page")
    page.get_by_role("link", name="Team").click()
    expect(page.get_by_role("heading", name="The inspection's team")).to_be_visible()


def test_on_a_phone_wide_tables_scroll_in_their_own_region_not_the_page(page, live_server, sign_in, lead, inspection):
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in("lead", PASSWORD)
    for path in ("progress", "assignments", "leave", "exercises", "question-set"):
        page.goto(f"{live_server.url}/inspections/{inspection.slug}/{path}/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
    page.goto(f"{live_server.url}/inspections/{inspection.slug}/progress/")
    region = page.get_by_role("region", name="By inspector")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # it is the table that scrolls
    assert serious_violations(page) == []
