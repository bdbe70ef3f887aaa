"""An exclusive option ("None of these") in headless Chromium: GOV.UK Frontend clears the other
boxes when it is ticked (and it when another is ticked), and autosave stores what is shown."""

import pytest

from casefiles.models import Answer
from casefiles.services import question_set_adopt
from questionset.services import question_set_load
from tests.conftest import FIXTURES, PASSWORD
from tests.helpers import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CYBER = '- {code: cyber, label: "Monitoring electronic communications"}'


def stored(value: str) -> bool:
    return Answer.objects.filter(question__code="VW3", value=value).exists()


def test_ticking_none_clears_the_others_and_saves_it_alone(page, live_server, sign_in, inspector, lead, case_file):
    text = (FIXTURES / "mini-questionset.yaml").read_text(encoding="utf-8")
    exclusive = text.replace(CYBER, CYBER + '\n          - {code: none, label: "None of these", exclusive: true}')
    version = question_set_load(text=exclusive, filename="mini-v2.yaml")
    question_set_adopt(inspection=case_file.inspection, question_set=version, user=lead)
    sign_in("inspector1", PASSWORD)
    page.goto(f"{live_server.url}{case_file.get_absolute_url()}")
    vw3 = page.locator("#q-VW3")
    assert vw3.locator(".govuk-checkboxes__divider").inner_text() == "or"
    vw3.get_by_label("Following").check()
    assert wait_for(lambda: stored("following"), timeout=10)
    vw3.get_by_label("Contacting").check()
    assert wait_for(lambda: stored("following|contacting"), timeout=10)
    vw3.get_by_label("None of these").check()
    assert not vw3.get_by_label("Following").is_checked() and not vw3.get_by_label("Contacting").is_checked()
    assert wait_for(lambda: stored("none"), timeout=10)
    vw3.get_by_label("Following").check()
    assert not vw3.get_by_label("None of these").is_checked()
    assert wait_for(lambda: stored("following"), timeout=10)
    assert vw3.locator(".govuk-error-message").count() == 0
