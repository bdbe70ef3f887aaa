"""Guidance that learns: a question-set version adopted after a consistency exercise is shown
on each inspector's home page, with what changed, until they mark it read."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casefiles.services import question_set_adopt
from quality.models import Exercise, GuidanceRead
from questionset.services import question_set_load
from tests.conftest import FIXTURES

CLARIFIED = "Crown Court only: count an order sought at sentence or on acquittal."


def new_version(inspection, lead):
    text = (FIXTURES / "mini-questionset.yaml").read_text().replace('"Crown Court only."', f'"{CLARIFIED}"')
    version = question_set_load(text=text, filename="mini-v2.yaml", user=lead)
    return question_set_adopt(inspection=inspection, question_set=version, user=lead)


def exercise(inspection, lead) -> Exercise:
    return Exercise.objects.create(
        inspection=inspection,
        name="Spring check",
        closes_on=timezone.localdate() + datetime.timedelta(days=1),
        created_by=lead,
    )


def test_each_inspector_sees_what_changed_until_they_mark_it_read(client, inspection, lead, inspector, colleague):
    exercise(inspection, lead)
    adoption = new_version(inspection, lead)
    client.force_login(inspector)
    home = client.get("/").content.decode()
    banner = home.split(f'id="guidance-{adoption.pk}"')[1].split("</section>")[0]
    assert "Guidance changed" in home and "after the consistency exercise “Spring check”" in banner
    assert "VW1" in banner and "count an order sought at sentence or on acquittal." in banner
    assert "1 question changed" in banner

    response = client.post(reverse("quality:guidance_read", args=[adoption.pk]))
    assert response.status_code == 302 and response.url == "/"
    assert "Guidance changed" not in client.get("/").content.decode()
    assert GuidanceRead.objects.filter(user=inspector, adoption=adoption).count() == 1
    client.post(reverse("quality:guidance_read", args=[adoption.pk]))  # twice is harmless
    assert GuidanceRead.objects.count() == 1

    client.force_login(colleague)  # each inspector marks it for themselves
    assert "Guidance changed" in client.get("/").content.decode()


def test_a_version_adopted_before_any_exercise_is_not_announced(client, inspection, lead, inspector):
    new_version(inspection, lead)
    client.force_login(inspector)
    assert "Guidance changed" not in client.get("/").content.decode()


@pytest.mark.parametrize("persona", ["lead", "writer", "outsider"])
def test_only_inspectors_see_and_mark_guidance_changes(client, request, persona, inspection, lead):
    exercise(inspection, lead)
    adoption = new_version(inspection, lead)
    client.force_login(request.getfixturevalue(persona))
    assert "Guidance changed" not in client.get("/").content.decode()
    assert client.post(reverse("quality:guidance_read", args=[adoption.pk])).status_code == 403
    assert not GuidanceRead.objects.exists()


def test_marking_read_is_a_post(client, inspection, lead, inspector):
    exercise(inspection, lead)
    adoption = new_version(inspection, lead)
    client.force_login(inspector)
    assert client.get(reverse("quality:guidance_read", args=[adoption.pk])).status_code == 405
