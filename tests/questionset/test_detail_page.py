"""The readable question set page: anybody with a role; outsiders and strangers kept out."""

import pytest
from django.urls import reverse


def page_of(client, user, question_set) -> str:
    client.force_login(user)
    response = client.get(reverse("questionset:detail", args=[question_set.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_sections_questions_options_rules_and_guidance(client, inspector, shipped_set):
    page = page_of(client, inspector, shipped_set)
    assert "Stalking inspection 2026 — file examination question set" in page
    assert "90 questions in 7 sections" in page
    assert 'href="#section-ND">Decisions not to charge and the victims&#x27; right to review</a>' in page
    assert 'id="question-LD8"' in page and "Was a stalking offence charged rather than harassment" in page
    assert "Legal decisions ii" in page  # the criterion
    assert "Partially meeting the expected standard <code" in page  # options with their codes
    assert "No stalking behaviours evident <code" in page and "(only on its own)" in page  # FS3's exclusive option
    assert (
        "Applies only to cases whose outcome is charged, and when LD7 is ‘Partially meeting the expected standard’ "
        "or ‘Not meeting the expected standard’." in page
    )
    assert "Applies only to cases whose court is crown and outcome is charged." in page  # CP8
    assert "When the answer is ‘Partially meeting the expected standard’ or ‘Not meeting the expected standard’" in page
    assert "<em>both police and prosecutors continue to treat incidents as a single event</em>" in page  # Markdown
    assert reverse("questionset:pdf", args=[shipped_set.pk]) in page


def test_the_lead_is_offered_the_versions_and_others_are_not(client, lead, inspector, shipped_set):
    versions = reverse("questionset:versions", args=[shipped_set.code])
    assert versions in page_of(client, lead, shipped_set)
    assert versions not in page_of(client, inspector, shipped_set)


def test_every_role_may_read_it(client, inspector, lead, qa_lead, writer, good_set):
    for user in (inspector, lead, qa_lead, writer):
        assert "Did the CPS select the correct charges?" in page_of(client, user, good_set)


def test_guidance_markup_is_sanitised(client, inspector, db):
    from questionset.services import question_set_load

    from .conftest import GOOD_SET

    unsafe = question_set_load(text=GOOD_SET.replace("Look at the **pattern**", "<script>alert(1)</script> Look"))
    page = page_of(client, inspector, unsafe)
    assert "<script>alert(1)</script>" not in page


def test_an_outsider_is_refused_and_a_stranger_is_asked_to_sign_in(client, outsider, good_set):
    url = reverse("questionset:detail", args=[good_set.pk])
    assert client.get(url).status_code == 302
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    assert client.get(reverse("questionset:pdf", args=[good_set.pk])).status_code == 403


@pytest.mark.parametrize("name", ["questionset:detail", "questionset:pdf"])
def test_it_refuses_to_be_posted_to(client, inspector, good_set, name):
    client.force_login(inspector)
    assert client.post(reverse(name, args=[good_set.pk])).status_code == 405


def test_an_unknown_version_is_not_found(client, inspector, db):
    client.force_login(inspector)
    assert client.get(reverse("questionset:detail", args=[999])).status_code == 404
