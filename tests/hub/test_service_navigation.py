"""The service navigation shows the sections of the page's inspection that the signed-in person
may use there (by their roles in its team, not their global roles), marks the one they are in,
and the account area names them. Marked `teams`: nobody is a member unless a test says so."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.roles import INSPECTOR, LEAD, QA_LEAD, REPORT_WRITER
from casefiles.models import Inspection
from casefiles.team import team_member_add
from tests.conftest import make_case_file, make_user

pytestmark = pytest.mark.teams

LINK = re.compile(
    r'<a class="govuk-service-navigation__link" href="(?P<href>[^"]*)"(?: aria-current="(?P<current>\w+)")?>'
    r"(?:<strong[^>]*>)?(?P<text>[^<]+)"
)


def navigation(client, url: str) -> dict[str, tuple[str, str | None]]:
    """{text: (href, aria-current)} of the service navigation's links on the page."""
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    return {m["text"]: (m["href"], m["current"]) for m in LINK.finditer(page)}


@pytest.fixture
def other(mini_question_set) -> Inspection:
    return Inspection.objects.create(slug="other", name="Other inspection", question_set=mini_question_set)


def test_an_inspector_sees_their_files_and_feedback_and_nothing_of_the_lead(client, inspection, inspector):
    team_member_add(inspection=inspection, user=inspector, roles=[INSPECTOR.code], by=None)
    client.force_login(inspector)
    items = navigation(client, reverse("casefiles:queue", args=[inspection.slug]))
    assert list(items) == ["Your files", "Feedback"]
    assert items["Your files"] == (reverse("casefiles:queue", args=[inspection.slug]), "page")
    assert items["Feedback"] == (reverse("quality:feedback", args=[inspection.slug]), None)


def test_the_examination_page_marks_your_files_as_the_section_it_is_in(client, inspection, inspector):
    team_member_add(inspection=inspection, user=inspector, roles=[INSPECTOR.code], by=None)
    case_file = make_case_file(inspection, "52WS0001", assigned_to=inspector)
    client.force_login(inspector)
    items = navigation(client, reverse("casefiles:examine", args=[inspection.slug, case_file.urn]))
    assert items["Your files"][1] == "true"  # inside the section, not the section's page itself


def test_a_lead_sees_the_lead_sections_only_in_the_inspection_they_lead(client, inspection, other):
    person = make_user("lead-and-inspector", LEAD, INSPECTOR)
    team_member_add(inspection=inspection, user=person, roles=[LEAD.code], by=None)
    team_member_add(inspection=other, user=person, roles=[INSPECTOR.code], by=None)
    client.force_login(person)

    led = navigation(client, reverse("casefiles:team", args=[inspection.slug]))
    assert list(led) == ["Sample", "Assignments", "Progress", "Team", "Consistency exercises"]
    assert led["Team"] == (reverse("casefiles:team", args=[inspection.slug]), "page")
    assert led["Progress"] == (reverse("casefiles:progress", args=[inspection.slug]), None)

    examined = navigation(client, reverse("casefiles:queue", args=["other"]))
    assert list(examined) == ["Your files", "Feedback"]  # a lead elsewhere, an inspector here


def test_the_sampling_pages_are_in_the_sample_section(client, inspection, lead):
    team_member_add(inspection=inspection, user=lead, roles=[LEAD.code], by=None)
    client.force_login(lead)
    assert navigation(client, reverse("sampling:overview", args=[inspection.slug]))["Sample"][1] == "page"
    assert navigation(client, reverse("sampling:draw", args=[inspection.slug]))["Sample"][1] == "true"


def test_the_qa_lead_reaches_exercises_through_quality_assurance(client, inspection, qa_lead):
    team_member_add(inspection=inspection, user=qa_lead, roles=[QA_LEAD.code], by=None)
    client.force_login(qa_lead)
    items = navigation(client, reverse("quality:dip_queue", args=[inspection.slug]))
    assert list(items) == ["Quality assurance"]
    assert items["Quality assurance"] == (reverse("quality:dashboard", args=[inspection.slug]), "true")
    assert navigation(client, reverse("quality:exercises", args=[inspection.slug]))["Quality assurance"][1] == "true"


def test_a_report_writer_is_offered_reports_for_the_inspection_they_write_for(client, inspection, writer):
    team_member_add(inspection=inspection, user=writer, roles=[REPORT_WRITER.code], by=None)
    client.force_login(writer)
    in_the_inspection = f"{reverse('reports:index')}?inspection={inspection.pk}"
    assert navigation(client, reverse("home")) == {"Reports": (in_the_inspection, None)}  # their only inspection
    assert navigation(client, reverse("reports:index")) == {"Reports": (in_the_inspection, "page")}


def test_home_shows_only_what_needs_no_inspection_to_someone_in_several(client, inspection, other, writer):
    for each in (inspection, other):
        team_member_add(inspection=each, user=writer, roles=[REPORT_WRITER.code], by=None)
    client.force_login(writer)
    assert navigation(client, reverse("home")) == {"Reports": (reverse("reports:index"), None)}


def test_someone_outside_the_team_sees_none_of_its_sections(client, inspection, other):
    person = make_user("writer-elsewhere", REPORT_WRITER, QA_LEAD)
    team_member_add(inspection=other, user=person, roles=[REPORT_WRITER.code, QA_LEAD.code], by=None)
    client.force_login(person)
    response = client.get(reverse("quality:dashboard", args=[inspection.slug]))
    assert response.status_code == 403
    assert "govuk-service-navigation__link" not in response.content.decode()


def test_administration_is_offered_to_administrators_only(client, admin_user, inspector):
    client.force_login(admin_user)
    assert navigation(client, reverse("home"))["Administration"] == (reverse("admin:index"), None)
    client.force_login(inspector)
    assert "Administration" not in navigation(client, reverse("home"))


def test_every_signed_in_page_names_the_person_offers_sign_out_and_carries_the_marking(client, inspection, inspector):
    team_member_add(inspection=inspection, user=inspector, roles=[INSPECTOR.code], by=None)
    client.force_login(inspector)
    for url in (reverse("home"), reverse("casefiles:queue", args=[inspection.slug]), "/no-such-page/"):
        page = client.get(url).content.decode()  # the page not found too
        account = page[page.index('class="app-header__account"') :]
        assert "Signed in as <strong>Inspector1</strong> (Inspector)" in account, url
        assert 'id="logout-form"' in account and ">Sign out</button>" in account, url
        assert page.count(settings.PROTECTIVE_MARKING) >= 3, url  # title, header, footer


def test_the_sign_in_page_has_no_navigation_or_account_area(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "govuk-service-navigation" not in page and "Signed in as" not in page
    assert "govuk-generic-header" in page and settings.PROTECTIVE_MARKING in page
