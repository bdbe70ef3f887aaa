"""The review page links the examination only for those the examination page lets in."""

import pytest
from django.urls import reverse

from casefiles.services import files_assign

from .conftest import review_url
from .test_dip_review import start, verdicts

pytestmark = pytest.mark.usefixtures("open_reviews")  # the open review page links the examination


def test_after_reassignment_the_review_links_the_examination_only_for_who_may_open_it(
    client, qa_lead, lead, dip_file, inspector, colleague
):
    start(client, qa_lead, dip_file)
    client.post(review_url("quality:review", dip_file), {**verdicts(), "action": "complete"})
    files_assign(inspection=dip_file.inspection, case_files=[dip_file], inspector=colleague, by=lead)
    examination_url = reverse("casefiles:examination", args=[dip_file.inspection.slug, dip_file.urn])

    client.force_login(inspector)  # examined the file, and still sees the completed review's feedback
    page = client.get(review_url("quality:review", dip_file)).content.decode()
    assert client.get(examination_url).status_code == 403
    assert examination_url not in page

    client.force_login(qa_lead)
    page = client.get(review_url("quality:review", dip_file)).content.decode()
    assert client.get(examination_url).status_code == 200
    assert examination_url in page
