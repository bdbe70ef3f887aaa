"""Exclusive options in multiple-choice questions ("No stalking behaviours evident"): marked
in the file, checked by the loader, shown with the GOV.UK "or" divider, and refused by the
server — autosave, the form without JavaScript, and submission — when combined with others."""

import json

import pytest
from django.urls import reverse

from casefiles.models import Answer, Examination
from casefiles.services import answers_record_new, question_set_adopt
from questionset.diff import diff_question_sets
from questionset.loader import QuestionSetInvalid, parse_question_set
from questionset.models import Question
from questionset.services import question_set_load, question_set_load_versions
from tests.conftest import FIXTURES, make_case_file

from .conftest import GOOD_SET

NONE_OPTION = '- {code: cyber, label: "Monitoring electronic communications"}'
WITH_NONE = NONE_OPTION + '\n          - {code: none, label: "None of these", exclusive: true}'
LD3_OTHER = '- {code: other, label: "Other"}'


def good_set_with(old: str, new: str) -> str:
    assert old in GOOD_SET, old
    return GOOD_SET.replace(old, new)


def test_the_loader_reads_an_exclusive_option_of_a_multiple_choice_question():
    spec = parse_question_set(
        good_set_with(LD3_OTHER, LD3_OTHER + '\n          - {code: none, label: "None", exclusive: true}')
    )
    ld3 = next(q for q in spec.questions if q.code == "LD3")
    assert [(o.code, o.exclusive) for o in ld3.options] == [("following", False), ("other", False), ("none", True)]


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        (
            '- {code: na, label: "Not applicable"}\n  yes_no:',
            '- {code: na, label: "Not applicable", exclusive: true}\n  yes_no:',
            "question LD1: only a multiple-choice question may mark an option exclusive ('na')",
        ),
        (
            LD3_OTHER,
            '- {code: other, label: "Other", exclusive: true}\n'
            '          - {code: none, label: "None", exclusive: true}',
            "question LD3: at most one option may be exclusive, not other, none",
        ),
        (
            LD3_OTHER,
            '- {code: other, label: "Other", exclusive: "only"}',
            "question LD3, option 2: exclusive must be true or false, not 'only'",
        ),
        (
            LD3_OTHER,
            '- {code: other, label: "Other", exclusiv: true}',
            "question LD3, option 2: unknown key 'exclusiv' (expected code, label, exclusive)",
        ),
    ],
)
def test_the_loader_refuses_a_misplaced_or_malformed_exclusive_flag(old, new, error):
    with pytest.raises(QuestionSetInvalid) as refused:
        parse_question_set(good_set_with(old, new))
    assert error in refused.value.errors


def test_a_set_without_exclusive_options_keeps_its_fingerprint_so_loaded_versions_are_recognised():
    explicit = good_set_with(LD3_OTHER, '- {code: other, label: "Other", exclusive: false}')
    marked = good_set_with(LD3_OTHER, '- {code: other, label: "Other", exclusive: true}')
    assert parse_question_set(explicit).checksum() == parse_question_set(GOOD_SET).checksum()
    assert parse_question_set(marked).checksum() != parse_question_set(GOOD_SET).checksum()


def test_the_diff_names_an_option_made_exclusive():
    old = parse_question_set(good_set_with(LD3_OTHER, LD3_OTHER + '\n          - {code: none, label: "None"}'))
    new = parse_question_set(
        good_set_with(LD3_OTHER, LD3_OTHER + '\n          - {code: none, label: "None", exclusive: true}')
    )
    (change,) = diff_question_sets(old, new).changed
    assert [o.code for o in change.options_made_exclusive] == ["none"]
    assert [o.code for o in diff_question_sets(new, old).changed[0].options_no_longer_exclusive] == ["none"]


@pytest.fixture
def exclusive_case_file(case_file, inspection, lead):
    """The mini set's VW3 with an exclusive "None of these", adopted as the inspection's next version."""
    text = (FIXTURES / "mini-questionset.yaml").read_text(encoding="utf-8")
    assert NONE_OPTION in text
    version = question_set_load(text=text.replace(NONE_OPTION, WITH_NONE), filename="mini-v2.yaml")
    question_set_adopt(inspection=inspection, question_set=version, user=lead)
    return case_file


def examine_url(case_file) -> str:
    return reverse("casefiles:examine", args=[case_file.inspection.slug, case_file.urn])


def autosave_url(case_file, code: str) -> str:
    return reverse("casefiles:autosave", args=[case_file.inspection.slug, case_file.urn, code])


def test_the_examination_page_shows_the_exclusive_option_after_an_or_divider(client, inspector, exclusive_case_file):
    client.force_login(inspector)
    page = client.get(examine_url(exclusive_case_file)).content.decode()
    vw3 = page.split('id="q-VW3"')[1].split("app-comment")[0]
    assert '<div class="govuk-checkboxes__divider">or</div>' in vw3
    assert vw3.index("govuk-checkboxes__divider") < vw3.index('value="none"')
    assert 'value="none" data-behaviour="exclusive"' in vw3
    assert vw3.count('data-behaviour="exclusive"') == 1 and vw3.count("govuk-checkboxes__divider") == 1


def test_autosave_refuses_the_exclusive_option_with_another_and_stores_nothing(client, inspector, exclusive_case_file):
    client.force_login(inspector)
    response = client.post(autosave_url(exclusive_case_file, "VW3"), {"v-VW3": "0", "q-VW3": ["following", "none"]})
    assert response.status_code == 400
    assert json.loads(response.content)["error"] == (
        "‘None of these’ cannot be chosen with other options: untick it or the others"
    )
    assert not Answer.objects.exists()
    alone = client.post(autosave_url(exclusive_case_file, "VW3"), {"v-VW3": "0", "q-VW3": ["none"]})
    assert alone.status_code == 200 and Answer.objects.get().value == "none"
    others = client.post(autosave_url(exclusive_case_file, "VW3"), {"v-VW3": "1", "q-VW3": ["following", "cyber"]})
    assert others.status_code == 200 and Answer.objects.get().value == "following|cyber"


def test_the_form_without_javascript_refuses_the_combination_beside_the_question(
    client, inspector, exclusive_case_file
):
    client.force_login(inspector)
    response = client.post(examine_url(exclusive_case_file), {"v-VW3": "0", "q-VW3": ["contacting", "none"]})
    assert response.status_code == 400
    vw3 = response.content.decode().split('id="q-VW3"')[1].split("app-comment")[0]
    assert "‘None of these’ cannot be chosen with other options" in vw3
    assert not Answer.objects.exists()


def test_submission_refuses_a_stored_answer_combining_the_exclusive_option(client, inspector, exclusive_case_file):
    # An answer written by another path (an import) is checked again when the examination is submitted.
    examination = Examination.objects.create(
        case_file=exclusive_case_file,
        examiner=inspector,
        question_set=exclusive_case_file.inspection.question_set,
    )
    questions = {q.code: q for q in Question.objects.filter(question_set=examination.question_set)}
    answers_record_new(
        examination=examination,
        values={
            questions["LD1"]: ("fully_meets", ""),
            questions["VW1"]: ("yes", ""),
            questions["VW3"]: ("following|none", ""),
        },
        user=inspector,
        source="import",
    )
    client.force_login(inspector)
    response = client.post(
        reverse("casefiles:submit", args=[exclusive_case_file.inspection.slug, exclusive_case_file.urn])
    )
    assert response.status_code == 400
    assert "? – ‘None of these’ cannot be chosen with other options" in response.content.decode()
    examination.refresh_from_db()
    assert examination.status == Examination.Status.IN_PROGRESS


def test_in_the_shipped_set_no_stalking_behaviours_cannot_be_saved_with_a_behaviour(
    client, inspector, inspection, lead
):
    _, current = question_set_load_versions()
    question_set_adopt(inspection=inspection, question_set=current, user=lead)
    nfa = make_case_file(inspection, "52WS0077", assigned_to=inspector, outcome="nfa", court="", stratum="stalking_nfa")
    client.force_login(inspector)
    page = client.get(examine_url(nfa)).content.decode()
    fs3 = page.split('id="q-FS3"')[1].split("app-comment")[0]
    assert 'value="none" data-behaviour="exclusive"' in fs3 and "govuk-checkboxes__divider" in fs3
    refused = client.post(autosave_url(nfa, "FS3"), {"v-FS3": "0", "q-FS3": ["following", "none"]})
    assert refused.status_code == 400 and "‘No stalking behaviours evident’ cannot be chosen" in refused.json()["error"]
    assert client.post(autosave_url(nfa, "FS3"), {"v-FS3": "0", "q-FS3": ["none"]}).status_code == 200
    assert Answer.objects.get(question__code="FS3").value == "none"
