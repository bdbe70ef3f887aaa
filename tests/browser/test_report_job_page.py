"""The report job page follows its job to the end without reloading, in headless Chromium."""


import pytest

from reports.models import ReportJob
from tests.browser.test_examination_journeys import serious_violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_job_page_follows_a_pdf_to_done_without_reloading(
    page, live_server, sign_in, writer, inspection, case_file, celery_worker_process
):
    sign_in("writer", PASSWORD)
    page.get_by_role("link", name="Reports").first.click()
    page.get_by_label("PDF").check()
    page.get_by_role("button", name="Build report").click()
    page.get_by_role("heading", name="PDF report").wait_for()
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    assert serious_violations(page) == []  # while queued or running
    polls, loads = [], []
    page.on("request", lambda r: polls.append(r.url) if r.url.endswith("/status/") else None)
    page.on("load", lambda: loads.append(page.url))
    page.evaluate("window.stayedOnThisPage = true")
    page.get_by_role("link", name="Download PDF").or_(page.get_by_text("Reason it failed")).wait_for(timeout=120_000)
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.DONE, f"{job.error}\n{celery_worker_process.log.read_text()[-3000:]}"
    assert page.evaluate("window.stayedOnThisPage") is True and loads == []  # updated in place
    assert polls, "the page never asked for the job's status"
    assert page.get_by_role("status").inner_text() == "Done: the report is ready to download."
    assert serious_violations(page) == []  # when done
