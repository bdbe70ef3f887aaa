import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from casefiles.models import Answer
from tests.conftest import PASSWORD
from tests.helpers import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_inspector_signs_in_opens_a_file_and_saves_an_answer(page, live_server, sign_in, inspector, case_file):
    sign_in("inspector1", PASSWORD)
    assert page.get_by_text("OFFICIAL-SENSITIVE").first.is_visible()
    page.get_by_role("link", name="Your files to examine").click()
    page.get_by_role("link", name="Start the examination for 52WS0001").click()
    page.get_by_role("heading", name="Examine file 52WS0001").wait_for()
    page.get_by_text("Guidance for LD1").click()
    assert page.get_by_text("not isolated incidents").is_visible()
    page.get_by_label("Comment on LD1").fill("Harassment charged; pattern not considered.")
    page.locator("#q-LD1").get_by_label("Partially meets the required standard").check()
    page.get_by_text("All changes saved.").wait_for()
    assert page.locator("#q-LD2").is_visible()  # the follow-up now applies
    assert wait_for(lambda: Answer.objects.filter(question__code="LD1", value="partially_meets").exists(), timeout=10)
    answer = Answer.objects.get(question__code="LD1")
    assert (answer.value, answer.comment) == ("partially_meets", "Harassment charged; pattern not considered.")


@pytest.mark.worker
def test_a_writer_queues_a_pdf_and_downloads_it(page, live_server, sign_in, writer, inspection, celery_worker_process):
    sign_in("writer", PASSWORD)
    page.get_by_role("link", name="Reports").first.click()
    page.get_by_label("PDF").check()
    page.get_by_role("button", name="Build report").click()
    page.get_by_role("link", name="Download PDF").wait_for(timeout=90_000)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    content = Path(download_info.value.path()).read_bytes()
    assert "OFFICIAL-SENSITIVE" in PdfReader(io.BytesIO(content)).pages[0].extract_text()
