"""WCAG 2.2 2.4.11 Focus Not Obscured on the dip review page: a keyboard-only pass in
headless Chromium, where no focused control is hidden behind the sticky Save/Complete bar."""

import pytest

from quality.services import review_start
from tests.conftest import PASSWORD

from .conftest import review_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For the focused element: what is drawn at its centre, and whether that is the bar.
FOCUS_PROBE = """() => {
  const el = document.activeElement;
  const bar = document.querySelector('.app-sticky-actions');
  const box = el.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  const label = el.id ? document.querySelector(`label[for="${el.id}"]`) : null;
  return {
    name: (el.tagName === 'BUTTON' ? el.textContent : el.id || el.name || el.tagName).trim().slice(0, 60),
    kind: el.type || el.tagName,
    checked: !!el.checked,
    visible: hit !== null,
    own: hit !== null && (hit === el || el.contains(hit) || (label !== null && label.contains(hit))),
    underBar: hit !== null && bar !== null && bar.contains(hit) && !bar.contains(el),
  };
}"""


@pytest.mark.parametrize("width", [1024, 375])  # on a phone the buttons stack and the bar is taller
def test_tabbing_through_the_review_never_hides_focus_under_the_bar(
    page, live_server, sign_in, qa_lead, dip_file, width
):
    primary = dip_file.examinations.get(kind="primary")
    review_start(examination=primary, reviewer=qa_lead, blind=False)
    sign_in("qa", PASSWORD)
    page.set_viewport_size({"width": width, "height": 480})
    page.goto(live_server.url + review_url("quality:review", dip_file))
    page.get_by_role("heading", name="Dip review of 52WS0001").wait_for()

    stops, hidden = [], []
    for _ in range(150):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_PROBE)
        if focus["kind"] == "checkbox" and focus["name"].startswith("agree-") and not focus["checked"]:
            page.keyboard.press("Space")  # reveal the QA lead's answer, as a keyboard user would
            focus = page.evaluate(FOCUS_PROBE)
        stops.append(focus["name"])
        if focus["underBar"] or not focus["visible"]:
            hidden.append(focus["name"])
        if focus["name"].startswith("Complete the review"):
            break
    assert stops[-1].startswith("Complete the review"), " | ".join(stops)
    assert sum(1 for s in stops if s.startswith("agree-")) == 4  # every "I disagree" box was reached
    assert hidden == [], f"{len(hidden)} of {len(stops)} tab stops hidden: {hidden}"
