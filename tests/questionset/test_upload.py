"""The lead loads a new version from a file, and makes new examinations use it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from casefiles.models import Examination, QuestionSetAdoption
from casefiles.services import examination_open
from questionset.models import QuestionSet
from tests.conftest import make_case_file

from .test_loader import BROKEN_SET, EXPECTED_ERRORS


def page_url(inspection) -> str:
    return reverse("casefiles:question_set", args=[inspection.slug])


def upload(client, inspection, text: str | bytes, name: str = "mini-2.yaml"):
    content = text.encode() if isinstance(text, str) else text
    return client.post(page_url(inspection), {"file": SimpleUploadedFile(name, content)})


def revised(inspection) -> str:
    return inspection.question_set.source.replace('version: "1.0"', 'version: "2.0"').replace(
        "Did the CPS select the correct charges?", "Did the CPS choose the correct charges?"
    )


def test_the_lead_sees_the_version_in_use_and_the_upload_form(client, lead, inspection):
    client.force_login(lead)
    page = client.get(page_url(inspection)).content.decode()
    assert "New examinations use" in page and "Mini question set for tests, version 1" in page
    assert 'enctype="multipart/form-data"' in page and 'name="csrfmiddlewaretoken"' in page


def test_an_uploaded_file_becomes_a_new_version_not_yet_in_use(client, lead, inspection):
    client.force_login(lead)
    response = upload(client, inspection, revised(inspection))
    assert response.status_code == 302 and response["Location"].endswith("#version-2")
    v2 = QuestionSet.objects.get(code="mini", number=2)
    assert (v2.filename, v2.loaded_by, v2.version_label) == ("mini-2.yaml", lead, "2.0")
    inspection.refresh_from_db()
    assert inspection.question_set.number == 1
    page = client.get(response["Location"]).content.decode()
    assert "Loaded ‘mini-2.yaml’ as version 2" in page
    assert "Use version 2 for new examinations" in page
    assert reverse("questionset:diff", args=["mini", 1, 2]) in page


def test_uploading_the_same_content_again_loads_nothing(client, lead, inspection):
    client.force_login(lead)
    response = upload(client, inspection, inspection.question_set.source, name="again.yaml")
    assert (
        "‘again.yaml’ is the same as version 1: nothing new was loaded."
        in client.get(response["Location"]).content.decode()
    )
    assert QuestionSet.objects.filter(code="mini").count() == 1


def test_a_bad_file_is_refused_whole_with_every_error_in_the_summary(client, lead, inspection):
    client.force_login(lead)
    broken = BROKEN_SET.replace("code: broken", "code: mini")
    response = upload(client, inspection, broken)
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page and f"{len(EXPECTED_ERRORS)} problems" in page
    for message in EXPECTED_ERRORS.values():
        escaped = message.replace("'", "&#x27;")
        assert f'<li><a href="#id_file">{escaped}</a></li>' in page, message
    assert QuestionSet.objects.filter(code="mini").count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe not utf-8", "the file is not UTF-8 text"),
        (b"code: [", "the file is not valid YAML"),
        (b"#" * (2 * 1024 * 1024 + 10), "the file is larger than 2 MB"),
    ],
)
def test_an_unreadable_file_is_refused(client, lead, inspection, content, message):
    client.force_login(lead)
    response = upload(client, inspection, content)
    assert response.status_code == 400 and message in response.content.decode()
    assert QuestionSet.objects.count() == 1


def test_an_upload_without_a_file_asks_for_one(client, lead, inspection):
    client.force_login(lead)
    response = client.post(page_url(inspection), {})
    assert response.status_code == 400 and "Choose a question set file to upload" in response.content.decode()


def test_a_different_set_is_refused_once_examinations_have_started(client, lead, inspection, case_file, inspector):
    examination_open(case_file=case_file, examiner=inspector)
    client.force_login(lead)
    other = inspection.question_set.source.replace("code: mini", "code: other")
    response = upload(client, inspection, other)
    assert response.status_code == 400
    assert (
        "the file is question set &#x27;other&#x27;, but this inspection&#x27;s examinations use"
        in response.content.decode()
    )
    assert not QuestionSet.objects.filter(code="other").exists()


def test_using_a_new_version_changes_only_examinations_started_from_then_on(
    client, lead, inspection, case_file, inspector
):
    started = examination_open(case_file=case_file, examiner=inspector)
    client.force_login(lead)
    upload(client, inspection, revised(inspection))
    v2 = QuestionSet.objects.get(code="mini", number=2)
    response = client.post(reverse("casefiles:question_set_use", args=[inspection.slug]), {"question_set": v2.pk})
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.question_set == v2
    assert Examination.objects.get(pk=started.pk).question_set.number == 1
    later = examination_open(
        case_file=make_case_file(inspection, "52WS0009", assigned_to=inspector), examiner=inspector
    )
    assert later.question_set == v2
    page = client.get(response["Location"]).content.decode()
    assert "Examinations started from now on use version 2" in page
    assert "Lead chose version 2 (was version 1)" in page
    assert QuestionSetAdoption.objects.get().adopted_by == lead


def test_only_the_lead_may_upload_or_switch(client, inspector, qa_lead, writer, outsider, inspection):
    v2_source = revised(inspection)
    for user in (inspector, qa_lead, writer, outsider):
        client.force_login(user)
        assert client.get(page_url(inspection)).status_code == 403
        assert upload(client, inspection, v2_source).status_code == 403
        response = client.post(reverse("casefiles:question_set_use", args=[inspection.slug]), {"question_set": 1})
        assert response.status_code == 403
    assert QuestionSet.objects.count() == 1 and not QuestionSetAdoption.objects.exists()


def test_switching_needs_a_post_and_a_csrf_token(lead, inspection):
    v2 = QuestionSet.objects.create(code="mini", title="t", version_label="2", number=2, checksum="x", source="")
    client = Client(enforce_csrf_checks=True)
    client.force_login(lead)
    assert client.get(reverse("casefiles:question_set_use", args=[inspection.slug])).status_code == 405
    assert (
        client.post(reverse("casefiles:question_set_use", args=[inspection.slug]), {"question_set": v2.pk}).status_code
        == 403
    )
    assert upload(client, inspection, revised(inspection)).status_code == 403
    inspection.refresh_from_db()
    assert inspection.question_set.number == 1 and QuestionSet.objects.count() == 2


def test_an_unknown_version_is_not_switched_to(client, lead, inspection):
    client.force_login(lead)
    response = client.post(
        reverse("casefiles:question_set_use", args=[inspection.slug]), {"question_set": 999}, follow=True
    )
    assert "Choose a version of the question set to use." in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.question_set.number == 1


def test_an_unknown_inspection_is_not_found(client, lead, db):
    client.force_login(lead)
    assert client.get(reverse("casefiles:question_set", args=["nope"])).status_code == 404
