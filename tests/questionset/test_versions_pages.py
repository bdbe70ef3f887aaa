"""The lead's pages: the versions of a set, and what changed between two of them."""

import pytest
from django.urls import reverse

from casefiles.services import examination_open
from questionset.services import question_set_load

from .conftest import GOOD_SET


@pytest.fixture
def two_versions(good_set):
    edited = GOOD_SET.replace('version: "1.0"', 'version: "1.1"').replace("correct charges", "right charges")
    edited = edited.replace('- {code: other, label: "Other"}', '- {code: other, label: "Something else"}')
    return good_set, question_set_load(text=edited, filename="good-1.1.yaml")


def test_the_lead_sees_every_version_with_its_use(client, lead, inspection, case_file, inspector):
    examination_open(case_file=case_file, examiner=inspector)
    newer = question_set_load(text=inspection.question_set.source.replace('"1.0"', '"1.1"'))
    client.force_login(lead)
    page = client.get(reverse("questionset:versions", args=["mini"])).content.decode()
    assert "2 versions" in page
    assert page.index('id="version-2"') < page.index('id="version-1"')  # newest first
    row_1 = page[page.index('id="version-1"') :]
    assert "Not answered yet" in row_1 and '<td class="govuk-table__cell govuk-table__cell--numeric">1</td>' in row_1
    assert reverse("questionset:diff", args=["mini", 1, 2]) in page
    assert newer.get_absolute_url() in page


def test_a_frozen_version_is_shown_as_frozen(client, lead, inspection, case_file, inspector):
    from casefiles.services import answer_save

    examination = examination_open(case_file=case_file, examiner=inspector)
    question = inspection.question_set.questions.get(code="LD1")
    answer_save(examination=examination, question=question, value="na", comment="", user=inspector, expected_version=0)
    client.force_login(lead)
    assert "Frozen" in client.get(reverse("questionset:versions", args=["mini"])).content.decode()


def test_the_compare_form_leads_to_the_diff(client, lead, two_versions):
    client.force_login(lead)
    response = client.get(reverse("questionset:versions", args=["good"]), {"from": "1", "to": "2"})
    assert response.status_code == 302 and response["Location"] == reverse("questionset:diff", args=["good", 1, 2])
    assert client.get(reverse("questionset:versions", args=["good"]), {"from": "1", "to": "9"}).status_code == 200


def test_the_diff_page_says_what_changed(client, lead, two_versions):
    client.force_login(lead)
    page = client.get(reverse("questionset:diff", args=["good", 1, 2])).content.decode()
    assert "What changed from version 1 to version 2" in page
    assert "0 questions added" in page and "2 questions changed" in page
    hidden = '<span class="govuk-visually-hidden">'
    assert f"select the <del>{hidden}[removed: </span>correct{hidden}]</span></del> charges?" in page
    assert f"select the <ins>{hidden}[added: </span>right{hidden}]</span></ins> charges?" in page
    assert "Option <code>other</code> relabelled from ‘Other’ to ‘Something else’" in page
    assert 'id="changed-LD1"' in page and 'id="changed-LD3"' in page and 'id="changed-CP1"' not in page


def test_the_diff_of_a_version_with_itself_is_empty(client, lead, good_set):
    client.force_login(lead)
    page = client.get(reverse("questionset:diff", args=["good", 1, 1])).content.decode()
    assert "Nothing: the two versions ask the same questions" in page


@pytest.mark.parametrize(
    "url", [("questionset:versions", ["good"]), ("questionset:diff", ["good", 1, 2])], ids=["versions", "diff"]
)
def test_only_the_lead_may_see_versions_and_changes(client, inspector, qa_lead, writer, outsider, two_versions, url):
    for user in (inspector, qa_lead, writer, outsider):
        client.force_login(user)
        assert client.get(reverse(url[0], args=url[1])).status_code == 403


def test_unknown_sets_and_versions_are_not_found(client, lead, good_set):
    client.force_login(lead)
    assert client.get(reverse("questionset:versions", args=["nope"])).status_code == 404
    assert client.get(reverse("questionset:diff", args=["good", 1, 7])).status_code == 404


def test_the_version_pages_refuse_posts(client, lead, two_versions):
    client.force_login(lead)
    assert client.post(reverse("questionset:versions", args=["good"])).status_code == 405
    assert client.post(reverse("questionset:diff", args=["good", 1, 2])).status_code == 405
