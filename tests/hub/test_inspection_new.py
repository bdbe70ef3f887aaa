"""Setting up an inspection in the browser: /inspections/new/."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from casefiles.models import Inspection, ScheduleChange
from hub.services import inspection_set_up
from questionset.models import QuestionSet
from sampling.plan import DEFAULT_PLAN
from tests.conftest import FIXTURES

URL = "/inspections/new/"
QUESTION_SET = (FIXTURES / "mini-questionset.yaml").read_text()


@pytest.fixture
def creator(lead):
    lead.user_permissions.add(Permission.objects.get(codename="add_inspection", content_type__app_label="casefiles"))
    return lead


def _post(client, **overrides):
    data = {
        "name": "Rape and serious sexual offences 2027",
        "slug": "rasso-2027",
        "plan": SimpleUploadedFile("plan.yaml", DEFAULT_PLAN.read_bytes()),
        "question_set": SimpleUploadedFile("set.yaml", QUESTION_SET.encode()),
        "fieldwork_starts_on_0": "4",
        "fieldwork_starts_on_1": "1",
        "fieldwork_starts_on_2": "2027",
        "examination_weekdays": ["1", "2", "3"],
    }
    data.update(overrides)
    return client.post(URL, {k: v for k, v in data.items() if v is not None})


def test_it_creates_the_inspection_with_its_plan_question_set_and_working_pattern(client, creator):
    client.force_login(creator)
    assert 'enctype="multipart/form-data"' in client.get(URL).content.decode()

    response = _post(client)

    assert response.status_code == 302
    inspection = Inspection.objects.get(slug="rasso-2027")
    assert inspection.name == "Rape and serious sexual offences 2027"
    assert inspection.plan["code"] == "stalking-2026" and inspection.question_set.code == "mini"
    assert str(inspection.fieldwork_starts_on) == "2027-01-04"
    assert inspection.examination_weekdays == [1, 2, 3]
    assert ScheduleChange.objects.get(inspection=inspection).by == creator
    assert "Created the inspection" in client.get("/").content.decode()


def test_it_takes_the_plans_days_a_week_when_none_is_ticked(client, creator):
    client.force_login(creator)
    _post(client, examination_weekdays=None)
    assert Inspection.objects.get(slug="rasso-2027").examination_weekdays == [0, 1, 2, 3]


def test_it_shows_every_error_beside_its_field_and_stores_nothing(client, creator, inspection):
    client.force_login(creator)
    bad_set = QUESTION_SET.replace("code: LD1", "code: LD 1")
    response = _post(
        client,
        name="",
        slug=inspection.slug,
        plan=SimpleUploadedFile("plan.yaml", b"code: x\nname: y\nstrata: []\n"),
        question_set=SimpleUploadedFile("set.yaml", bad_set.encode()),
        fieldwork_starts_on_0="31",
        fieldwork_starts_on_1="2",
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"name", "slug", "plan", "question_set", "fieldwork_starts_on"}
    assert "the plan needs &#x27;strata&#x27;" in response.content.decode()
    assert form.errors["fieldwork_starts_on"] == ["Fieldwork start must be a real date"]
    page = response.content.decode()
    assert "govuk-error-summary" in page and 'href="#id_plan"' in page
    assert Inspection.objects.count() == 1 and QuestionSet.objects.count() == 1


def test_the_service_stores_nothing_when_the_last_step_is_refused(db, inspection):
    edited = QUESTION_SET.replace("Mini question set for tests", "Mini question set, edited")
    versions = QuestionSet.objects.count()
    with pytest.raises(ValueError, match="already exists"):
        inspection_set_up(
            name="Again",
            slug=inspection.slug,
            plan_text=DEFAULT_PLAN.read_text(),
            question_set_text=edited,
            question_set_filename="set.yaml",
            fieldwork_starts_on=None,
            examination_weekdays=[],
            user=None,
        )
    assert QuestionSet.objects.count() == versions  # the new version was rolled back with the rest


def test_it_is_forbidden_without_the_permission(client, lead, outsider):
    for user in (lead, outsider):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert _post(client).status_code == 403
    assert not Inspection.objects.filter(slug="rasso-2027").exists()


def test_it_refuses_other_methods(client, creator):
    client.force_login(creator)
    assert client.put(URL).status_code == 405
    assert client.delete(URL).status_code == 405


def test_home_offers_set_up_only_to_those_allowed(client, creator, writer):
    client.force_login(creator)
    assert 'href="/inspections/new/">Set up an inspection' in client.get("/").content.decode()
    client.force_login(writer)
    assert "Set up an inspection" not in client.get("/").content.decode()
