"""Setting up an inspection, its schedule and leave, in headless Chromium."""

import pytest
from django.contrib.auth.models import Permission

from casefiles.models import Inspection, InspectorLeave
from sampling.plan import DEFAULT_PLAN
from tests.browser.test_examination_journeys import serious_violations
from tests.conftest import FIXTURES, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_allowed_to_create_sets_up_an_inspection_then_its_schedule_and_leave(
    page, live_server, sign_in, lead, inspector, tmp_path
):
    lead.user_permissions.add(Permission.objects.get(codename="add_inspection", content_type__app_label="casefiles"))
    bad_plan = tmp_path / "bad-plan.yaml"
    bad_plan.write_text("code: x\nname: y\nstrata: []\n")
    sign_in("lead", PASSWORD)
    page.get_by_role("link", name="Set up an inspection").click()
    assert serious_violations(page) == []

    page.get_by_label("Name", exact=True).fill("Rape and serious sexual offences 2027")
    page.get_by_label("Short name for addresses").fill("rasso-2027")
    page.get_by_label("Sampling plan file").set_input_files(str(bad_plan))
    page.get_by_label("Question set file").set_input_files(str(FIXTURES / "mini-questionset.yaml"))
    page.get_by_label("Day", exact=True).fill("4")
    page.get_by_label("Month", exact=True).fill("1")
    page.get_by_label("Year", exact=True).fill("2027")
    page.get_by_role("button", name="Create the inspection").click()

    page.locator(".govuk-error-summary").get_by_text("the plan needs 'strata'").wait_for()
    # beside the field too, not only in the summary
    assert page.locator(".govuk-error-message").filter(has_text="the plan needs 'strata'").count() == 1
    assert not Inspection.objects.filter(slug="rasso-2027").exists()
    assert serious_violations(page) == []

    page.get_by_label("Sampling plan file").set_input_files(str(DEFAULT_PLAN))
    page.get_by_label("Question set file").set_input_files(str(FIXTURES / "mini-questionset.yaml"))
    page.get_by_role("button", name="Create the inspection").click()
    page.get_by_text("Created the inspection Rape and serious sexual offences 2027").wait_for()

    page.locator("h2", has_text="Rape and serious sexual offences 2027").wait_for()
    page.get_by_role("link", name="Fieldwork dates and working pattern").first.click()
    page.get_by_label("Friday").check()
    page.get_by_role("button", name="Save the schedule").click()
    page.get_by_text("Schedule saved.").wait_for()
    assert "Monday, Tuesday, Wednesday, Thursday, Friday" in page.locator("#schedule-history").inner_text()
    assert serious_violations(page) == []

    page.get_by_role("link", name="inspectors' leave").click()
    page.get_by_label("Inspector").select_option(label="Inspector1")
    page.locator("#id_first_day_0").fill("8")
    page.locator("#id_first_day_1").fill("2")
    page.locator("#id_first_day_2").fill("2027")
    page.locator("#id_last_day_0").fill("12")
    page.locator("#id_last_day_1").fill("2")
    page.locator("#id_last_day_2").fill("2027")
    page.get_by_role("button", name="Add the leave").click()
    page.get_by_text("Leave added for Inspector1").wait_for()
    assert serious_violations(page) == []
    leave = InspectorLeave.objects.get()
    assert (leave.inspection.slug, leave.inspector, str(leave.last_day)) == ("rasso-2027", inspector, "2027-02-12")
