"""The examination page's progress panel, comment rules, "check your answers" and state banners."""

import re

import pytest
from django.urls import reverse

from casefiles.models import Examination
from casefiles.services import examination_return


def url(name: str, case_file) -> str:
    return reverse(name, args=[case_file.inspection.slug, case_file.urn])


def answer(client, case_file, code: str, value, comment: str = "", version: int = 0):
    return client.post(
        url("casefiles:examine", case_file), {f"v-{code}": str(version), f"q-{code}": value, f"c-{code}": comment}
    )


def overall(page: str) -> str:
    return re.search(r"<strong data-overall-count>([^<]+)</strong>", page)[1]


def test_it_shows_n_of_m_answered_and_links_the_first_question_still_to_do(client, inspector, case_file):
    client.force_login(inspector)
    page = client.get(url("casefiles:examine", case_file)).content.decode()
    assert overall(page) == "0 of 4"  # LD1, VW1, VW2 (optional), VW3 apply to a charged Crown Court file
    assert 'data-next-incomplete href="#q-LD1-fully_meets"' in page
    answer(client, case_file, "LD1", "fully_meets")
    page = client.get(url("casefiles:examine", case_file)).content.decode()
    assert overall(page) == "1 of 4"
    assert 'data-next-incomplete href="#q-VW1-yes"' in page


def test_an_answer_missing_its_needed_comment_counts_as_incomplete(client, inspector, case_file):
    client.force_login(inspector)
    answer(client, case_file, "LD1", "not_meets")
    page = client.get(url("casefiles:examine", case_file)).content.decode()
    assert overall(page) == "0 of 5"  # LD2 now applies; LD1 still needs its comment
    assert 'data-next-incomplete href="#c-LD1"' in page
    assert "A comment is needed when you answer Does not meet the required standard." in page
    assert re.search(r'<p class="[^"]*app-comment-needed" id="c-needed-LD1" data-comment-needed>', page)
    answer(client, case_file, "LD1", "not_meets", "Wrong charge", version=1)
    page = client.get(url("casefiles:examine", case_file)).content.decode()
    assert overall(page) == "1 of 5"
    assert re.search(r'id="c-needed-LD1" data-comment-needed hidden>', page)


def test_check_your_answers_lists_every_applicable_answer_with_a_change_link(client, inspector, case_file):
    client.force_login(inspector)
    answer(client, case_file, "LD1", "not_meets", "Wrong charge")
    answer(client, case_file, "VW1", "yes")
    page = client.get(url("casefiles:check", case_file)).content.decode()
    assert "Check your answers before submitting" in page
    assert "Does not meet the required standard" in page and "Comment: Wrong charge" in page
    examine = url("casefiles:examine", case_file)
    for target in ("q-LD1-fully_meets", "q-LD2-yes", "q-VW1-yes", "input-VW2"):
        assert f'href="{examine}#{target}">Change' in page
    assert "LD3" not in page  # an NFA question does not apply to a charged file
    assert page.count("Not answered") == 3  # LD2, VW2 (optional), VW3
    assert f'action="{url("casefiles:submit", case_file)}"' in page


def test_check_your_answers_is_only_for_the_assigned_inspector_and_only_get(client, inspector, colleague, case_file):
    client.force_login(colleague)
    assert client.get(url("casefiles:check", case_file)).status_code in (403, 404)
    client.force_login(inspector)
    assert client.post(url("casefiles:check", case_file)).status_code == 405


def test_a_submitted_file_says_so_and_check_your_answers_goes_back_to_it(client, inspector, case_file):
    client.force_login(inspector)
    answer(client, case_file, "LD1", "fully_meets")
    answer(client, case_file, "VW1", "yes")
    client.post(url("casefiles:submit", case_file))
    page = client.get(url("casefiles:examine", case_file)).content.decode()
    assert "You submitted this examination on" in page
    assert "ask the lead inspector or QA lead to return the file to you" in page
    queue = reverse("casefiles:queue", args=[case_file.inspection.slug])
    assert f'href="{queue}" class="govuk-back-link">Your files' in page
    assert client.get(url("casefiles:check", case_file)).status_code == 302


@pytest.mark.django_db
def test_a_returned_file_says_what_to_do(client, inspector, lead, case_file):
    client.force_login(inspector)
    answer(client, case_file, "LD1", "fully_meets")
    answer(client, case_file, "VW1", "yes")
    client.post(url("casefiles:submit", case_file))
    examination_return(examination=Examination.objects.get(), user=lead, reason="VW1 is wrong")
    page = client.get(url("casefiles:examine", case_file)).content.decode()
    assert "change the answers the reason asks for, then check your answers and submit again" in page
    assert "VW1 is wrong" in page
