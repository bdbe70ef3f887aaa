import json

import pytest
from django.urls import reverse

from casefiles.models import Answer, AnswerChange, Examination
from casefiles.services import answer_save, examination_open
from questionset.models import Question
from tests.casefiles.pages import shown_questions
from tests.conftest import make_case_file


def examine_url(case_file) -> str:
    return reverse("casefiles:examine", args=[case_file.inspection.slug, case_file.urn])


def autosave_url(case_file, code: str) -> str:
    return reverse("casefiles:autosave", args=[case_file.inspection.slug, case_file.urn, code])


def test_it_shows_the_case_details_and_only_the_questions_that_apply(client, inspector, case_file):
    client.force_login(inspector)
    page = client.get(examine_url(case_file)).content.decode()
    assert "Examine file 52WS0001" in page and "CPS Wessex" in page and "Crown Court" in page
    assert shown_questions(page) == ["LD1", "VW1", "VW2", "VW3"]  # LD2 follows LD1; LD3 is for NFA files
    assert "Guidance for LD1" in page and "<strong>pattern</strong>" in page
    assert "0 of 1 answered" in page  # the section navigator
    # Each of the plan's attributes, by its label, with the value's label.
    for label, value in [("Category", "Stalking"), ("Court", "Crown Court"), ("Re-opened after VRR", "No"),
                         ("Decision date", "15 Jan 2025")]:  # fmt: skip
        row = f'<dt class="govuk-summary-list__key">{label}</dt><dd class="govuk-summary-list__value">{value}</dd>'
        assert row in page


def test_an_nfa_file_shows_the_nfa_question_and_not_the_crown_court_one(client, inspector, inspection):
    nfa = make_case_file(inspection, "52WS0009", assigned_to=inspector, outcome="nfa", court="", stratum="stalking_nfa")
    client.force_login(inspector)
    assert shown_questions(client.get(examine_url(nfa)).content.decode()) == ["LD3", "VW2", "VW3"]


def test_it_saves_answers_and_keeps_history(client, inspector, case_file):
    client.force_login(inspector)
    response = client.post(examine_url(case_file), {"v-LD1": "0", "q-LD1": "fully_meets", "c-LD1": "Clear rationale."})
    assert response.status_code == 302
    answer = Answer.objects.get(question__code="LD1")
    assert (answer.value, answer.comment, answer.version) == ("fully_meets", "Clear rationale.", 1)
    assert AnswerChange.objects.get(answer=answer).new_value == "fully_meets"
    page = client.get(examine_url(case_file)).content.decode()
    assert 'value="fully_meets" checked' in page and "Your answers have been saved" in page


def test_a_follow_up_question_appears_after_its_trigger(client, inspector, case_file):
    client.force_login(inspector)
    client.post(examine_url(case_file), {"v-LD1": "0", "q-LD1": "not_meets", "c-LD1": "Harassment charged."})
    assert "LD2" in shown_questions(client.get(examine_url(case_file)).content.decode())


def test_it_refuses_a_stale_save_and_shows_both_answers(client, inspector, case_file):
    client.force_login(inspector)
    client.post(examine_url(case_file), {"v-LD1": "0", "q-LD1": "fully_meets"})
    response = client.post(examine_url(case_file), {"v-LD1": "0", "q-LD1": "not_meets", "c-LD1": "Mine"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "was changed elsewhere" in page and "<strong>fully_meets</strong>" in page
    assert 'value="not_meets" checked' in page  # the user's own answer is kept on the page
    assert Answer.objects.get(question__code="LD1").value == "fully_meets"


def test_it_rejects_an_unknown_option_and_stores_nothing(client, inspector, case_file):
    client.force_login(inspector)
    response = client.post(examine_url(case_file), {"v-LD1": "0", "q-LD1": "maybe"})
    assert response.status_code == 400
    assert "Choose one of the options" in response.content.decode()
    assert not Answer.objects.exists()


def test_it_rejects_a_number_that_is_not_one(client, inspector, case_file):
    client.force_login(inspector)
    response = client.post(examine_url(case_file), {"v-VW2": "0", "q-VW2": "ten"})
    assert "Enter a number" in response.content.decode()
    assert not Answer.objects.exists()


def test_it_refuses_an_answer_to_a_question_that_does_not_apply(client, inspector, case_file):
    client.force_login(inspector)
    response = client.post(examine_url(case_file), {"v-LD3": "0", "q-LD3": "fully_meets"})
    assert response.status_code == 400
    assert "LD3 does not apply to this file" in response.content.decode()
    assert not Answer.objects.exists()


def test_a_colleague_cannot_open_or_save_a_file_assigned_to_someone_else(client, colleague, case_file):
    client.force_login(colleague)
    assert client.get(examine_url(case_file)).status_code == 403
    assert client.post(examine_url(case_file), {"v-LD1": "0", "q-LD1": "fully_meets"}).status_code == 403
    assert client.post(autosave_url(case_file, "LD1"), {"v-LD1": "0", "q-LD1": "fully_meets"}).status_code == 403
    assert not Answer.objects.exists()


def test_the_lead_and_outsiders_cannot_answer(client, lead, outsider, case_file):
    for user in (lead, outsider):
        client.force_login(user)
        assert client.get(examine_url(case_file)).status_code == 403
        assert client.post(autosave_url(case_file, "LD1"), {"v-LD1": "0", "q-LD1": "yes"}).status_code == 403


def test_it_refuses_other_methods(client, inspector, case_file):
    client.force_login(inspector)
    assert client.put(examine_url(case_file)).status_code == 405
    assert client.get(autosave_url(case_file, "LD1")).status_code == 405


def test_autosave_saves_one_answer_and_returns_its_version(client, inspector, case_file):
    client.force_login(inspector)
    response = client.post(autosave_url(case_file, "LD1"), {"v-LD1": "0", "q-LD1": "partially_meets", "c-LD1": "x"})
    assert response.status_code == 200
    assert json.loads(response.content)["version"] == 1
    response = client.post(autosave_url(case_file, "LD1"), {"v-LD1": "1", "q-LD1": "fully_meets", "c-LD1": "x"})
    assert json.loads(response.content)["version"] == 2
    assert [c.new_value for c in AnswerChange.objects.order_by("id")] == ["partially_meets", "fully_meets"]


def test_autosave_answers_409_with_the_stored_answer_when_stale(client, inspector, case_file):
    client.force_login(inspector)
    client.post(autosave_url(case_file, "LD1"), {"v-LD1": "0", "q-LD1": "fully_meets", "c-LD1": "first tab"})
    response = client.post(autosave_url(case_file, "LD1"), {"v-LD1": "0", "q-LD1": "not_meets", "c-LD1": "second"})
    body = json.loads(response.content)
    assert response.status_code == 409
    assert body["stored"]["label"] == "Fully meets the required standard"
    assert body["stored"]["comment"] == "first tab" and body["stored"]["version"] == 1
    assert Answer.objects.get().value == "fully_meets"


def test_autosave_of_the_same_answer_twice_is_not_a_conflict(client, inspector, case_file):
    client.force_login(inspector)
    client.post(autosave_url(case_file, "LD1"), {"v-LD1": "0", "q-LD1": "fully_meets"})
    response = client.post(autosave_url(case_file, "LD1"), {"v-LD1": "0", "q-LD1": "fully_meets"})
    assert response.status_code == 200  # a resend after a lost response
    assert AnswerChange.objects.count() == 1


def test_autosave_rejects_bad_input_with_a_message(client, inspector, case_file):
    client.force_login(inspector)
    response = client.post(autosave_url(case_file, "VW2"), {"v-VW2": "0", "q-VW2": "lots"})
    assert response.status_code == 400 and "Enter a number" in json.loads(response.content)["error"]
    assert client.post(autosave_url(case_file, "NOPE"), {"v-NOPE": "0"}).status_code == 404


@pytest.mark.parametrize(("raw", "stored"), [("14", "14"), ("14.0", "14"), ("1,200", "1200"), ("2.5", "2.5")])
def test_numbers_are_stored_in_one_form(client, inspector, case_file, raw, stored):
    client.force_login(inspector)
    client.post(autosave_url(case_file, "VW2"), {"v-VW2": "0", "q-VW2": raw})
    assert Answer.objects.get().value == stored


def test_multiple_choice_answers_are_stored_in_option_order(client, inspector, case_file):
    client.force_login(inspector)
    client.post(autosave_url(case_file, "VW3"), {"v-VW3": "0", "q-VW3": ["cyber", "following"]})
    assert Answer.objects.get().value == "following|cyber"


def test_answers_of_a_file_stay_when_it_is_reassigned(client, inspector, colleague, case_file):
    examination = examination_open(case_file=case_file, examiner=inspector)
    question = Question.objects.get(question_set=examination.question_set, code="LD1")
    answer_save(
        examination=examination, question=question, value="fully_meets", comment="", user=inspector, expected_version=0
    )
    case_file.assigned_to = colleague
    case_file.save()
    client.force_login(colleague)
    assert 'value="fully_meets" checked' in client.get(examine_url(case_file)).content.decode()
    assert Examination.objects.count() == 1
