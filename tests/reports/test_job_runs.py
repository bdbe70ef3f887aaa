"""Running report jobs without Celery: claims, attempts, atomic files, failures."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from reports.models import ReportJob
from reports.services import report_job_claim, report_job_progress, report_job_request, report_job_run

pytestmark = pytest.mark.django_db


def test_a_job_left_running_by_a_killed_worker_is_completed_by_the_redelivered_task(writer, inspection, hand_counted):
    job = report_job_request(inspection=inspection, user=writer, format="xlsx", parameters={"breakdowns": ["area"]})
    assert report_job_claim(job.pk) == 1  # the first delivery claimed it, then its worker died
    job = report_job_run(job_id=job.pk)  # the redelivery
    assert (job.status, job.attempts, job.progress) == (ReportJob.Status.DONE, 2, 100)
    assert job.file.name.endswith("-2.xlsx")
    assert "data" in load_workbook(job.file.path, read_only=True).sheetnames


def test_an_older_attempt_can_no_longer_write_progress_or_results(writer, inspection):
    job = report_job_request(inspection=inspection, user=writer, format="csv")
    old = report_job_claim(job.pk)
    report_job_run(job_id=job.pk)
    report_job_progress(job_id=job.pk, attempt=old, percent=30)
    job.refresh_from_db()
    assert (job.status, job.progress, job.attempts) == (ReportJob.Status.DONE, 100, 2)


def test_a_job_that_cannot_write_its_file_fails_with_the_reason_and_leaves_no_file(
    writer, inspection, settings, tmp_path
):
    (tmp_path / "not-a-folder").write_text("x")
    settings.MEDIA_ROOT = str(tmp_path / "not-a-folder" / "media")
    job = report_job_run(job_id=report_job_request(inspection=inspection, user=writer, format="csv").pk)
    assert job.status == ReportJob.Status.FAILED
    assert job.error.startswith(("NotADirectoryError", "FileExistsError"))
    assert not job.file


def test_a_report_is_written_whole_or_not_at_all(writer, inspection, settings, tmp_path, hand_counted):
    settings.MEDIA_ROOT = str(tmp_path)
    job = report_job_run(job_id=report_job_request(inspection=inspection, user=writer, format="csv").pk)
    written = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert written == [f"test-inspection-report-{job.pk}-1.csv"]  # no temporary file left beside it
    lines = Path(job.file.path).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "urn,area,category,outcome,court,domestic_abuse,examination,inspector,question,answer,comment"
    assert "F4,London North,stalking,nfa,,no,primary,inspector1,LD3,not_meets,No enquiries were made" in "\n".join(
        lines
    )


def test_requeue_stuck_reports_command_queues_only_stuck_jobs(writer, inspection, settings):
    settings.REPORTS_STUCK_AFTER = 0
    stuck = report_job_request(inspection=inspection, user=writer, format="csv")
    ReportJob.objects.filter(pk=stuck.pk).update(status=ReportJob.Status.RUNNING)
    done = report_job_run(job_id=report_job_request(inspection=inspection, user=writer, format="pdf").pk)
    out = io.StringIO()
    call_command("requeue_stuck_reports", stdout=out)
    assert out.getvalue().strip() == f"Queued again 1 report job(s): {stuck.pk}"
    stuck.refresh_from_db()
    done.refresh_from_db()
    assert (stuck.status, done.status) == (ReportJob.Status.QUEUED, ReportJob.Status.DONE)


def test_build_report_refuses_unknown_codes_and_formats(inspection, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="XX1"):
        call_command(
            "build_report", "--inspection", inspection.slug, "-o", str(tmp_path / "r.pdf"), "--questions", "XX1"
        )
    with pytest.raises(CommandError, match="unknown report format"):
        call_command("build_report", "--inspection", inspection.slug, "-o", str(tmp_path / "r.docx"))
    with pytest.raises(CommandError, match="no inspection"):
        call_command("build_report", "--inspection", "nope", "-o", str(tmp_path / "r.pdf"))
    assert list(tmp_path.iterdir()) == []
