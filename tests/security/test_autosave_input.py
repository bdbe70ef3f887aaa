"""Autosave against hostile values and versions: a clear 400 or a 409, never a 500, and
nothing ever overwritten that the client did not read."""

import pytest
from django.urls import reverse

from casefiles.models import Answer, AnswerChange


def autosave_url(case_file, code: str) -> str:
    return reverse("casefiles:autosave", args=[case_file.inspection.slug, case_file.urn, code])


def examine_url(case_file) -> str:
    return reverse("casefiles:examine", args=[case_file.inspection.slug, case_file.urn])


@pytest.mark.parametrize("number", ["1e30", "1E999999999", "²", "٣", "9" * 4300, "NaN", "-Infinity", "1e-99999"])
def test_a_number_the_arithmetic_cannot_hold_is_a_400_not_a_500(client, inspector, case_file, number):
    client.force_login(inspector)
    response = client.post(autosave_url(case_file, "VW2"), {"v-VW2": "0", "q-VW2": number})
    assert response.status_code == 400
    assert "number" in response.json()["error"]
    assert not Answer.objects.exists()


def test_an_ordinary_number_still_saves(client, inspector, case_file):
    client.force_login(inspector)
    response = client.post(autosave_url(case_file, "VW2"), {"v-VW2": "0", "q-VW2": "1,234"})
    assert response.status_code == 200
    assert Answer.objects.get().value == "1234"


@pytest.mark.parametrize("version", ["²", "9" * 4300, "-1", "abc", "1.0", "٣"])
def test_an_unreadable_version_is_a_400_and_saves_nothing(client, inspector, case_file, version):
    client.force_login(inspector)
    response = client.post(autosave_url(case_file, "LD1"), {"v-LD1": version, "q-LD1": "fully_meets"})
    assert response.status_code == 400
    assert "version" in response.json()["error"]
    assert not Answer.objects.exists()


@pytest.mark.parametrize("version", ["", " ", "-1", "abc", "²"])
def test_a_missing_or_bad_version_never_overwrites_a_stored_answer(client, inspector, case_file, version):
    client.force_login(inspector)
    assert client.post(autosave_url(case_file, "LD1"), {"v-LD1": "0", "q-LD1": "fully_meets"}).status_code == 200
    response = client.post(autosave_url(case_file, "LD1"), {"v-LD1": version, "q-LD1": "not_meets"})
    assert response.status_code in (400, 409)
    answer = Answer.objects.get()
    assert (answer.value, answer.version) == ("fully_meets", 1)
    assert AnswerChange.objects.count() == 1


def test_an_empty_version_means_never_read_so_a_first_answer_saves(client, inspector, case_file):
    client.force_login(inspector)
    response = client.post(autosave_url(case_file, "LD1"), {"v-LD1": "", "q-LD1": "fully_meets"})
    assert response.status_code == 200 and Answer.objects.get().version == 1


def test_the_page_without_javascript_also_refuses_an_empty_version_over_a_stored_answer(client, inspector, case_file):
    client.force_login(inspector)
    client.post(examine_url(case_file), {"v-LD1": "0", "q-LD1": "fully_meets"})
    response = client.post(examine_url(case_file), {"v-LD1": "", "q-LD1": "not_meets"})
    assert response.status_code == 400 and "was changed elsewhere" in response.content.decode()
    assert Answer.objects.get().value == "fully_meets"


@pytest.mark.parametrize("field", ["q-VW2", "c-LD1", "q-LD1"])
def test_a_nul_character_in_an_answer_or_comment_is_a_400(client, inspector, case_file, field):
    client.force_login(inspector)
    code = field.split("-")[1]
    data = {f"v-{code}": "0", f"q-{code}": "fully_meets" if code == "LD1" else "3", field: "a\x00b"}
    response = client.post(autosave_url(case_file, code), data)
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_parse_posted_refuses_nul_itself_for_callers_other_than_the_web(inspector, case_file):
    from django.http import QueryDict

    from casefiles.examining import NUL_PROBLEM, parse_posted
    from questionset.models import Question

    question = Question.objects.get(code="LD1", question_set=case_file.inspection.question_set)
    post = QueryDict(mutable=True)
    post.update({"v-LD1": "0", "q-LD1": "fully_meets", "c-LD1": "x\x00"})
    assert parse_posted([question], post)[0].error == NUL_PROBLEM
