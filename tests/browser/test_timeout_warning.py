"""The time-out warning in a real browser: it opens before the idle limit, "Stay signed in"
keeps the session, and the page's script runs under the Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_warning_opens_and_stay_signed_in_keeps_the_session(page, live_server, sign_in, inspector, settings):
    settings.SESSION_IDLE_TIMEOUT = 70
    settings.SESSION_IDLE_WARNING = 68  # the warning opens two seconds after the page loads
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in(inspector.username, PASSWORD)
    dialog = page.locator("#timeout-warning")
    expect(dialog).to_be_visible(timeout=10_000)
    expect(dialog).to_contain_text("You’re about to be signed out")
    expect(dialog.locator("[data-countdown]")).to_contain_text("minute")
    with page.expect_response(lambda r: r.url.endswith("/session/keep-alive/")) as keep_alive:
        page.get_by_role("button", name="Stay signed in").click()
    assert keep_alive.value.status == 200
    expect(dialog).to_be_hidden()
    page.reload()
    expect(page.get_by_text("Signed in as")).to_be_visible()
    assert not [e for e in errors if "Content Security Policy" in e], errors
