"""The lead's team page, and what membership opens (marked `teams`: nobody is a member by default)."""

import pytest
from django.urls import reverse

from accounts.roles import INSPECTOR, LEAD, QA_LEAD
from casefiles.access import inspections_visible_to
from casefiles.models import Inspection, InspectionMember, TeamChange
from casefiles.team import TeamRefused, team_member_add, team_member_remove
from tests.conftest import make_user

pytestmark = pytest.mark.teams


@pytest.fixture
def team_lead(inspection):
    person = make_user("team-lead", LEAD)
    team_member_add(inspection=inspection, user=person, roles=["lead"], by=None)
    return person


def test_it_lists_only_the_inspections_someone_belongs_to(inspection, inspector, mini_question_set):
    other = Inspection.objects.create(slug="other", name="Other", question_set=mini_question_set)
    team_member_add(inspection=other, user=inspector, roles=["inspector"], by=None)
    assert list(inspections_visible_to(inspector)) == [other]


def test_it_adds_a_person_by_username_with_roles_and_keeps_history(client, inspection, team_lead, inspector):
    client.force_login(team_lead)
    response = client.post(
        reverse("casefiles:team", args=[inspection.slug]), {"username": "inspector1", "roles": ["inspector"]}
    )
    assert response.status_code == 302
    assert InspectionMember.objects.filter(inspection=inspection, user=inspector, role="inspector").exists()
    page = client.get(reverse("casefiles:team", args=[inspection.slug])).content.decode()
    assert "inspector1 added as inspector by team-lead" in page
    assert client.get(reverse("casefiles:queue", args=[inspection.slug])).status_code == 403  # the lead is no inspector


def test_it_shows_errors_beside_the_fields(client, inspection, team_lead):
    client.force_login(team_lead)
    response = client.post(reverse("casefiles:team", args=[inspection.slug]), {"username": "nobody"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is no active account with that username." in page and "govuk-error-summary" in page
    assert 'id="roles-error"' in page or "govuk-form-group--error" in page


def test_it_refuses_a_role_the_person_may_not_hold(client, inspection, team_lead, inspector):
    client.force_login(team_lead)
    response = client.post(
        reverse("casefiles:team", args=[inspection.slug]), {"username": "inspector1", "roles": ["qa_lead"]}
    )
    assert response.status_code == 400 and "may not be qa lead" in response.content.decode()
    assert not InspectionMember.objects.filter(user=inspector).exists()


def test_it_changes_roles_and_removes_a_member_but_never_the_last_lead(client, inspection, team_lead):
    both = make_user("both", INSPECTOR, QA_LEAD)
    team_member_add(inspection=inspection, user=both, roles=["inspector", "qa_lead"], by=team_lead)
    client.force_login(team_lead)
    url = reverse("casefiles:team_member", args=[inspection.slug, "both"])
    assert client.post(url, {"roles": ["qa_lead"]}).status_code == 302
    assert set(InspectionMember.objects.filter(user=both).values_list("role", flat=True)) == {"qa_lead"}
    assert client.post(url, {}).status_code == 302
    assert not InspectionMember.objects.filter(user=both).exists()
    own = client.post(reverse("casefiles:team_member", args=[inspection.slug, "team-lead"]), {})
    assert own.status_code == 400 and "must keep a lead" in own.content.decode()
    with pytest.raises(TeamRefused):
        team_member_remove(inspection=inspection, user=team_lead, by=team_lead)
    assert TeamChange.objects.filter(user=both, action="removed").count() == 2


def test_it_refuses_the_team_page_to_others_and_wrong_methods(client, inspection, team_lead, inspector, lead):
    url = reverse("casefiles:team", args=[inspection.slug])
    team_member_add(inspection=inspection, user=inspector, roles=["inspector"], by=None)
    client.force_login(inspector)
    assert client.get(url).status_code == 403
    client.force_login(lead)  # a lead, of no team
    assert client.get(url).status_code == 403
    assert client.post(url, {"username": "lead", "roles": ["lead"]}).status_code == 403
    assert not InspectionMember.objects.filter(user=lead).exists()
    client.force_login(team_lead)
    assert client.put(url).status_code == 405
    assert client.delete(reverse("casefiles:team_member", args=[inspection.slug, "team-lead"])).status_code == 405


def test_create_inspection_makes_the_named_lead_and_the_demo_accounts_members(db, lead, inspector):
    from django.core.management import call_command

    call_command("create_inspection", "teamed", "--name", "Teamed", "--lead", "lead")
    teamed = Inspection.objects.get(slug="teamed")
    roles = set(InspectionMember.objects.filter(inspection=teamed).values_list("user__username", "role"))
    assert ("lead", "lead") in roles and ("inspector1", "inspector") in roles  # inspector1 is a demo username


def test_the_admin_is_for_administrators_only(client, inspection, team_lead):
    team_lead.is_staff = True
    team_lead.save()
    client.force_login(team_lead)
    assert client.get("/admin/casefiles/casefile/").status_code == 302  # to the admin's sign-in


def test_the_migration_makes_every_role_holder_a_member_of_every_existing_inspection(inspection, inspector, lead):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("casefiles.migrations.0008_inspection_teams")
    outsider_without_role = make_user("no-role")
    migration.enrol_role_holders(apps, None)
    rows = set(InspectionMember.objects.filter(inspection=inspection).values_list("user__username", "role"))
    assert rows == {("inspector1", "inspector"), ("lead", "lead")}
    assert not InspectionMember.objects.filter(user=outsider_without_role).exists()


def test_the_home_page_offers_in_each_inspection_only_the_roles_held_there(client, inspection, mini_question_set):
    other = Inspection.objects.create(slug="other", name="Other inspection", question_set=mini_question_set)
    both = make_user("both", INSPECTOR, LEAD)
    team_member_add(inspection=inspection, user=both, roles=["lead"], by=None)
    team_member_add(inspection=other, user=both, roles=["inspector"], by=None)
    client.force_login(both)
    page = client.get("/").content.decode()
    assert reverse("casefiles:team", args=[inspection.slug]) in page
    assert reverse("casefiles:team", args=["other"]) not in page
    assert reverse("casefiles:queue", args=["other"]) in page
    assert reverse("casefiles:queue", args=[inspection.slug]) not in page


def test_the_creator_of_an_inspection_in_the_browser_becomes_its_lead_and_nobody_else_sees_it(db, lead, inspector):
    from hub.services import inspection_set_up
    from sampling.plan import DEFAULT_PLAN
    from tests.conftest import FIXTURES

    created = inspection_set_up(
        name="New",
        slug="new",
        plan_text=DEFAULT_PLAN.read_text(),
        question_set_text=(FIXTURES / "mini-questionset.yaml").read_text(),
        question_set_filename="mini.yaml",
        fieldwork_starts_on=None,
        examination_weekdays=[],
        user=lead,
    )
    assert list(InspectionMember.objects.filter(inspection=created).values_list("user__username", "role")) == [
        ("lead", "lead")
    ]
    assert list(inspections_visible_to(lead)) == [created] and not inspections_visible_to(inspector).exists()
    assert TeamChange.objects.get(inspection=created).by == lead
