"""The job status endpoint the job page polls instead of reloading."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import ReportJob
from reports.services import report_job_request

pytestmark = pytest.mark.django_db


def status_url(job) -> str:
    return reverse("reports:job_status", args=[job.pk])


def test_it_gives_a_running_jobs_progress_and_time_left(client, writer, inspection):
    job = report_job_request(inspection=inspection, user=writer, format="pdf")
    started = timezone.now() - datetime.timedelta(seconds=30)
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.RUNNING, progress=60, started_at=started)
    client.force_login(writer)
    response = client.get(status_url(job))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    data = response.json()
    assert (data["status"], data["status_label"], data["progress"], data["finished"]) == (
        "running",
        "Running",
        60,
        False,
    )
    assert 20 <= data["seconds_left"] <= 40  # 60% in 30 s (and a slow test): 40% more takes about 20 s


def test_it_says_when_a_job_is_done_and_gives_no_time_left(client, writer, inspection):
    job = report_job_request(inspection=inspection, user=writer, format="csv")
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.DONE, progress=100)
    client.force_login(writer)
    data = client.get(status_url(job)).json()
    assert (data["status"], data["finished"], data["seconds_left"]) == ("done", True, None)


def test_a_queued_job_has_no_estimate_yet(client, writer, inspection):
    job = report_job_request(inspection=inspection, user=writer, format="pdf")
    client.force_login(writer)
    data = client.get(status_url(job)).json()
    assert (data["status"], data["progress"], data["seconds_left"], data["stuck"]) == ("queued", 0, None, False)


def test_it_is_for_report_writers_only(client, inspector, outsider, writer, inspection):
    job = report_job_request(inspection=inspection, user=writer, format="pdf")
    for user in (inspector, outsider):
        client.force_login(user)
        assert client.get(status_url(job)).status_code == 403
    client.logout()
    assert client.get(status_url(job)).status_code == 302  # to sign in


def test_it_answers_only_get(client, writer, inspection):
    job = report_job_request(inspection=inspection, user=writer, format="pdf")
    client.force_login(writer)
    assert client.post(status_url(job)).status_code == 405
