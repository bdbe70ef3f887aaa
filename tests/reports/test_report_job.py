import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from casefiles.services import answer_save, examination_open, examination_submit
from questionset.models import Question
from reports.models import ReportJob
from reports.services import report_job_request, report_job_run
from tests.helpers import wait_for


def submitted_examination(case_file, inspector, answers: dict[str, str]):
    examination = examination_open(case_file=case_file, examiner=inspector)
    for code, value in answers.items():
        question = Question.objects.get(question_set=examination.question_set, code=code)
        answer_save(
            examination=examination, question=question, value=value, comment="", user=inspector, expected_version=0
        )
    return examination_submit(examination=examination, user=inspector)


def pdf_text(content: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


@pytest.mark.django_db
def test_the_pdf_carries_the_marking_on_every_page_and_the_counts(writer, inspection, case_file, inspector):
    submitted_examination(case_file, inspector, {"LD1": "partially_meets", "LD2": "yes", "VW1": "na"})
    job = report_job_request(inspection=inspection, user=writer, format="pdf")
    job = report_job_run(job_id=job.pk)
    assert job.status == ReportJob.Status.DONE
    content = job.file.read()
    text, pages = pdf_text(content)
    reader = PdfReader(io.BytesIO(content))
    assert all("OFFICIAL-SENSITIVE" in page.extract_text() for page in reader.pages)
    assert pages >= 2
    assert "LD1. Did the CPS select the correct charges?" in text
    # LD1 for all files: n 1; fully 0.0%, partially 100.0%, not 0.0%; none not applicable.
    assert "All files † 1 0.0 100.0 0.0 0" in re.sub(r"\s+", " ", text)


@pytest.mark.django_db
def test_the_same_request_while_one_is_queued_does_not_build_twice(writer, inspection):
    first = report_job_request(inspection=inspection, user=writer, format="pdf")
    second = report_job_request(inspection=inspection, user=writer, format="pdf")
    assert first.pk == second.pk
    assert report_job_request(inspection=inspection, user=writer, format="xlsx").pk != first.pk


@pytest.mark.django_db
def test_a_finished_job_is_not_built_again(writer, inspection):
    job = report_job_request(inspection=inspection, user=writer, format="csv")
    assert report_job_run(job_id=job.pk).status == ReportJob.Status.DONE
    assert report_job_run(job_id=job.pk) is None  # a repeat delivery claims nothing
    job.refresh_from_db()
    assert job.attempts == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_report_queued_from_the_browser_is_built_by_the_worker(
    client, writer, inspection, case_file, inspector, celery_worker_process
):
    submitted_examination(case_file, inspector, {"LD1": "fully_meets", "VW1": "yes"})
    client.force_login(writer)
    response = client.post(reverse("reports:index"), {"inspection": inspection.pk, "format": "pdf"})
    job = ReportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert wait_for(lambda: ReportJob.objects.get(pk=job.pk).is_finished, timeout=90), (
        celery_worker_process.log.read_text()[-3000:]
    )
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Download PDF" in page
    download = client.get(reverse("reports:download", args=[job.pk]))
    text, _ = pdf_text(b"".join(download.streaming_content))
    # LD1 for all files: n 1, fully meets 100.0%, the others 0.0%, none not applicable.
    assert "OFFICIAL-SENSITIVE" in text and "All files † 1 100.0 0.0 0.0 0" in re.sub(r"\s+", " ", text)


def test_reports_are_for_report_writers(client, inspector, outsider, writer, inspection):
    job = report_job_request(inspection=inspection, user=writer, format="pdf")
    for user in (inspector, outsider):
        client.force_login(user)
        assert client.get(reverse("reports:index")).status_code == 403
        assert client.get(reverse("reports:job", args=[job.pk])).status_code == 403
        assert client.post(reverse("reports:index"), {"inspection": inspection.pk, "format": "pdf"}).status_code == 403


def test_retry_needs_post(client, writer, inspection):
    job = report_job_request(inspection=inspection, user=writer, format="pdf")
    client.force_login(writer)
    assert client.get(reverse("reports:retry", args=[job.pk])).status_code == 405
