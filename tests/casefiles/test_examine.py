import pytest
from django.urls import reverse

from casefiles.models import Answer, AnswerChange
from casefiles.services import examination_open, examination_submit
from tests.conftest import make_case_file


def examine_url(case_file) -> str:
    return reverse("casefiles:examine", args=[case_file.inspection.slug, case_file.urn])


def test_it_shows_the_case_details_and_applicable_questions(client, inspector, case_file):
    client.force_login(inspector)
    page = client.get(examine_url(case_file)).content.decode()
    assert "Examine file 52WS0001" in page and "CPS Wessex" in page and "Crown Court" in page
    assert "LD1. Did the CPS select the correct charges?" in page
    assert "VW1." in page  # Crown Court only
    assert "LD3." not in page  # NFA only
    assert "LD2." not in page  # only after LD1 partly or not met
    assert "Guidance for LD1" in page and "<strong>pattern</strong>" in page


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
    assert "LD2. Was stalking charged" in client.get(examine_url(case_file)).content.decode()


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


def test_a_colleague_cannot_open_a_file_assigned_to_someone_else(client, colleague, case_file):
    client.force_login(colleague)
    assert client.get(examine_url(case_file)).status_code == 403
    assert client.post(examine_url(case_file), {"v-LD1": "0", "q-LD1": "fully_meets"}).status_code == 403
    assert not Answer.objects.exists()


def test_the_lead_and_outsiders_cannot_answer(client, lead, outsider, case_file):
    for user in (lead, outsider):
        client.force_login(user)
        assert client.get(examine_url(case_file)).status_code == 403


def test_it_refuses_other_methods(client, inspector, case_file):
    client.force_login(inspector)
    assert client.put(examine_url(case_file)).status_code == 405


def test_a_submitted_examination_is_read_only_for_its_inspector(client, inspector, case_file):
    client.force_login(inspector)
    client.post(examine_url(case_file), {"v-LD1": "0", "q-LD1": "fully_meets", "v-VW1": "0", "q-VW1": "yes"})
    examination_submit(examination=examination_open(case_file=case_file, examiner=inspector), user=inspector)
    response = client.post(examine_url(case_file), {"v-LD1": "1", "q-LD1": "not_meets"}, follow=True)
    assert "read-only" in response.content.decode()
    assert Answer.objects.get(question__code="LD1").value == "fully_meets"


def test_the_queue_lists_only_my_files(client, inspector, colleague, inspection, case_file):
    make_case_file(inspection, "52WS0002", assigned_to=colleague)
    client.force_login(inspector)
    page = client.get(reverse("casefiles:queue", args=[inspection.slug])).content.decode()
    assert "52WS0001" in page and "52WS0002" not in page and "Not started" in page


@pytest.mark.parametrize("user_fixture", ["lead", "outsider"])
def test_the_queue_is_for_inspectors(client, request, inspection, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(reverse("casefiles:queue", args=[inspection.slug])).status_code == 403
