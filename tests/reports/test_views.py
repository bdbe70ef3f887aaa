"""The report pages: the request form, the job page, retry, the list and downloads."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import ReportJob
from reports.services import report_job_request, report_job_run

pytestmark = pytest.mark.django_db

FULL_FORM = {
    "format": "xlsx",
    "sections": ["VW"],
    "questions": "ld2, LD1",
    "breakdowns": ["court", "area"],
    "headlines": "LD1",
    "headline_rows": "area",
    "headline_columns": "outcome",
}


def post_form(client, inspection, **changes):
    return client.post(reverse("reports:index"), {"inspection": inspection.pk, **FULL_FORM, **changes})


def test_it_shows_the_form_with_the_inspections_sections_and_breakdowns(client, writer, inspection):
    client.force_login(writer)
    page = client.get(reverse("reports:index")).content.decode()
    assert "Build a report: Test inspection" in page
    assert "LD: Legal decisions" in page and "VW: Victims and witnesses" in page
    for label in ("CPS Area", "Court", "Category", "Outcome", "Domestic abuse"):
        assert label in page
    # The default headlines: the first single-choice question of each section, as this
    # question set has none of its own in reports/data/headlines.yaml.
    assert 'value="LD1, VW1"' in page


def test_the_form_ticks_every_breakdown_and_offers_all_files_only_to_the_headline_tables(inspection):
    from reports.forms import ReportRequestForm
    from reports.tables import breakdowns_of

    form = ReportRequestForm(inspection=inspection)
    every = [(b.code, b.label) for b in breakdowns_of(inspection).values()]
    assert every[0][0] == "all" and len(every) > 2
    assert list(form.fields["breakdowns"].choices) == every[1:]
    assert form.fields["breakdowns"].initial == [code for code, _ in every[1:]]
    assert list(form.fields["headline_rows"].choices) == list(form.fields["headline_columns"].choices) == every
    assert not form.fields["sections"].required and not form.fields["headlines"].required


def test_it_queues_a_job_with_the_chosen_parameters_normalised(client, writer, inspection):
    client.force_login(writer)
    response = post_form(client, inspection)
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.format == "xlsx" and job.requested_by == writer and job.status == ReportJob.Status.QUEUED
    assert job.parameters == {
        "sections": ["VW"],
        "questions": ["LD1", "LD2"],
        "breakdowns": ["area", "court"],
        "headlines": {"questions": ["LD1"], "rows": "area", "columns": "outcome"},
    }
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Queued" in page and "CPS Area, Court" in page and "LD1, LD2" in page
    assert "LD1, by CPS Area and outcome" in page


def test_the_same_request_twice_while_the_first_waits_makes_one_job(client, writer, inspection):
    client.force_login(writer)
    first = post_form(client, inspection)
    second = post_form(client, inspection, questions="LD1 LD2", breakdowns=["area", "court"])
    assert first["Location"] == second["Location"]
    assert ReportJob.objects.count() == 1
    post_form(client, inspection, format="pdf")
    assert ReportJob.objects.count() == 2


def test_unknown_codes_are_refused_naming_them_and_nothing_is_queued(client, writer, inspection):
    client.force_login(writer)
    response = post_form(client, inspection, questions="LD1, XX9", headlines="VW3")
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "There is no choice question XX9 in this question set" in page
    assert "There is no single-choice question VW3 in this question set" in page  # VW3 is multiple choice
    assert not ReportJob.objects.exists()


def test_the_job_page_shows_progress_while_running(client, writer, inspection):
    job = report_job_request(inspection=inspection, user=writer, format="pdf")
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.RUNNING, progress=40)
    client.force_login(writer)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Running" in page and "40% done" in page and 'value="40"' in page
    # It follows the job with a script and a live region, never by reloading itself.
    assert 'http-equiv="refresh"' not in page and 'aria-live="polite"' in page and "js/report-job.js" in page
    assert "Queue it again" not in page and "Try again" not in page


def test_a_failed_job_shows_why_and_can_be_tried_again(client, writer, inspection):
    job = report_job_request(inspection=inspection, user=writer, format="pdf")
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.FAILED, error="OSError: disk full")
    client.force_login(writer)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Failed" in page and "OSError: disk full" in page and "Try again" in page
    response = client.post(reverse("reports:retry", args=[job.pk]))
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert (job.status, job.error) == (ReportJob.Status.QUEUED, "")
    assert report_job_run(job_id=job.pk).status == ReportJob.Status.DONE


def test_a_job_with_no_sign_of_life_for_long_can_be_queued_again(client, writer, inspection, settings):
    settings.REPORTS_STUCK_AFTER = 600
    job = report_job_request(inspection=inspection, user=writer, format="csv")
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.RUNNING, attempts=1, heartbeat_at=an_hour_ago)
    client.force_login(writer)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Its worker may have stopped" in page and "Queue it again" in page
    assert 'http-equiv="refresh"' not in page
    client.post(reverse("reports:retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ReportJob.Status.QUEUED and job.heartbeat_at > an_hour_ago
    assert report_job_run(job_id=job.pk).attempts == 2


def test_retry_leaves_a_live_or_finished_job_alone(client, writer, inspection):
    running = report_job_request(inspection=inspection, user=writer, format="pdf")
    ReportJob.objects.filter(pk=running.pk).update(status=ReportJob.Status.RUNNING, progress=50)
    done = report_job_request(inspection=inspection, user=writer, format="csv")
    report_job_run(job_id=done.pk)
    client.force_login(writer)
    for job, status in ((running, ReportJob.Status.RUNNING), (done, ReportJob.Status.DONE)):
        client.post(reverse("reports:retry", args=[job.pk]))
        job.refresh_from_db()
        assert job.status == status


def test_finished_reports_are_listed_with_their_parameters_and_can_be_downloaded_again(client, writer, inspection):
    client.force_login(writer)
    post_form(client, inspection)
    job = ReportJob.objects.get()
    report_job_run(job_id=job.pk)
    page = client.get(reverse("reports:index")).content.decode()
    assert job.get_absolute_url() in page and "Done" in page and "Writer" in page
    assert "Breakdowns: CPS Area, Court" in page
    for _ in range(2):
        download = client.get(reverse("reports:download", args=[job.pk]))
        assert download.status_code == 200
        name = f"OFFICIAL-SENSITIVE_test-inspection-report-{job.pk}.xlsx"
        assert download["Content-Disposition"] == f'attachment; filename="{name}"'
        assert b"".join(download.streaming_content)[:2] == b"PK"


def test_a_report_not_ready_cannot_be_downloaded(client, writer, inspection):
    job = report_job_request(inspection=inspection, user=writer, format="pdf")
    client.force_login(writer)
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404


def test_report_pages_are_for_report_writers_only(client, writer, inspector, lead, outsider, inspection):
    job = report_job_request(inspection=inspection, user=writer, format="csv")
    report_job_run(job_id=job.pk)
    urls = [reverse(name, args=[job.pk]) for name in ("reports:job", "reports:download")]
    for user in (inspector, lead, outsider):
        client.force_login(user)
        assert client.get(reverse("reports:index")).status_code == 403
        assert post_form(client, inspection).status_code == 403
        assert client.post(reverse("reports:retry", args=[job.pk])).status_code == 403
        for url in urls:
            assert client.get(url).status_code == 403
    assert ReportJob.objects.count() == 1
    client.logout()
    assert client.get(reverse("reports:index"))["Location"].startswith("/accounts/login/")


def test_wrong_methods_are_refused(client, writer, inspection):
    job = report_job_request(inspection=inspection, user=writer, format="pdf")
    client.force_login(writer)
    assert client.get(reverse("reports:retry", args=[job.pk])).status_code == 405
    assert client.put(reverse("reports:index")).status_code == 405


def test_an_unknown_inspection_is_not_found(client, writer, inspection):
    client.force_login(writer)
    assert client.get(reverse("reports:index") + "?inspection=999").status_code == 404
    assert client.get(reverse("reports:index") + "?inspection=abc").status_code == 404
