"""A PDF job run by its Celery task queues its parts as tasks of their own (for any worker to
take) and returns; the part that finds every part done queues the assembly, once. Here the
tasks' messages are caught and the tasks run by hand, in any order, some twice, as a broker
may deliver them; test_worker_killed runs them on real workers."""

import io
import re

import pytest
from pypdf import PdfReader

from reports.models import ReportJob, ReportPart
from reports.services import report_job_assemble, report_job_request, report_job_run, report_part_render

pytestmark = pytest.mark.django_db

PARAMETERS = {
    "breakdowns": ["area", "court"],
    "headlines": {"questions": ["LD1"], "rows": "area", "columns": "court"},
}


@pytest.fixture
def sent(monkeypatch) -> dict[str, list]:
    """The task messages sent, by task, instead of a broker."""
    messages: dict[str, list] = {"parts": [], "assembly": []}
    monkeypatch.setattr("reports.tasks.render_report_part.delay", lambda part_id: messages["parts"].append(part_id))
    monkeypatch.setattr("reports.tasks.assemble_report_job.delay", lambda *args: messages["assembly"].append(args))
    return messages


def job(pk: int) -> ReportJob:
    return ReportJob.objects.get(pk=pk)


def test_the_task_queues_the_parts_and_the_last_part_done_queues_the_assembly_once(
    writer, inspection, hand_counted, sent, django_capture_on_commit_callbacks
):
    requested = report_job_request(inspection=inspection, user=writer, format="pdf", parameters=PARAMETERS)
    with django_capture_on_commit_callbacks(execute=True):
        running = report_job_run(job_id=requested.pk, parts_as_tasks=True)
    # The task has returned without waiting: the parts are queued, none rendered yet.
    assert (running.status, running.progress, running.attempts) == (ReportJob.Status.RUNNING, 22, 1)
    parts = list(ReportPart.objects.filter(job=running).order_by("index"))
    assert [p.index for p in parts] == list(range(len(parts))) and len(parts) >= 3  # front matter, headlines, sections
    # Every part, and the front matter with "000" for its page numbers (the real ones come last).
    assert sorted(sent["parts"]) == [p.pk for p in parts]

    progress = []
    for part_id in reversed(sent["parts"]):  # in any order
        with django_capture_on_commit_callbacks(execute=True):
            report_part_render(part_id=part_id)
        progress.append(job(running.pk).progress)
        if part_id != sent["parts"][0]:
            assert not sent["assembly"]
    assert progress == sorted(progress) and progress[-1] == 85  # each part done moves the bar on
    with django_capture_on_commit_callbacks(execute=True):
        report_part_render(part_id=sent["parts"][0])  # delivered again once done
    assert sent["assembly"] == [(running.pk, 1)]  # queued once

    report_job_assemble(job_id=running.pk, attempt=1)
    done = job(running.pk)
    assert (done.status, done.progress) == (ReportJob.Status.DONE, 100)
    reader = PdfReader(done.file.path)
    pages = len(reader.pages)
    text = re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))
    assert f"Page {pages} of {pages}" in text and "Headline tables" in text and "Table A1. LD1" in text
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    # Once the file is written the parts' content is not kept.
    assert not ReportPart.objects.filter(job=done).exclude(html="", pdf=None).exists()


def test_a_part_delivered_again_after_its_worker_died_is_rendered_again(
    writer, inspection, hand_counted, sent, django_capture_on_commit_callbacks
):
    requested = report_job_request(inspection=inspection, user=writer, format="pdf", parameters=PARAMETERS)
    with django_capture_on_commit_callbacks(execute=True):
        report_job_run(job_id=requested.pk, parts_as_tasks=True)
    first = sent["parts"][0]
    ReportPart.objects.filter(pk=first).update(tries=1)  # a worker started it, then was killed
    for part_id in sent["parts"]:
        with django_capture_on_commit_callbacks(execute=True):
            report_part_render(part_id=part_id)
    assert ReportPart.objects.get(pk=first).tries == 2
    assert len(sent["assembly"]) == 1
    report_job_assemble(job_id=requested.pk, attempt=1)
    report_job_assemble(job_id=requested.pk, attempt=1)  # an assembly delivered twice does nothing more
    assert job(requested.pk).status == ReportJob.Status.DONE


def test_the_parts_of_an_earlier_attempt_do_nothing_once_the_job_is_run_again(
    writer, inspection, hand_counted, sent, django_capture_on_commit_callbacks
):
    requested = report_job_request(inspection=inspection, user=writer, format="pdf", parameters=PARAMETERS)
    with django_capture_on_commit_callbacks(execute=True):
        report_job_run(job_id=requested.pk, parts_as_tasks=True)
    earlier = list(sent["parts"])
    # The task was delivered again (its worker died after queueing the parts): attempt 2.
    with django_capture_on_commit_callbacks(execute=True):
        assert report_job_run(job_id=requested.pk, parts_as_tasks=True).attempts == 2
    assert set(ReportPart.objects.filter(job_id=requested.pk).values_list("attempt", flat=True)) == {2}
    for part_id in earlier:  # attempt 1's messages, still in the queue
        report_part_render(part_id=part_id)
    assert job(requested.pk).progress == 22 and not sent["assembly"]
    for part_id in sent["parts"][len(earlier) :]:
        with django_capture_on_commit_callbacks(execute=True):
            report_part_render(part_id=part_id)
    assert sent["assembly"] == [(requested.pk, 2)]
    report_job_assemble(job_id=requested.pk, attempt=1)  # a stray assembly of attempt 1
    assert job(requested.pk).status == ReportJob.Status.RUNNING
    report_job_assemble(job_id=requested.pk, attempt=2)
    finished = job(requested.pk)
    assert (finished.status, finished.attempts) == (ReportJob.Status.DONE, 2)
    assert finished.file.name.endswith("-2.pdf")


def test_a_part_that_cannot_be_rendered_fails_the_job_with_the_reason(
    writer, inspection, hand_counted, sent, django_capture_on_commit_callbacks, monkeypatch
):
    requested = report_job_request(inspection=inspection, user=writer, format="pdf", parameters=PARAMETERS)
    with django_capture_on_commit_callbacks(execute=True):
        report_job_run(job_id=requested.pk, parts_as_tasks=True)

    def broken(html, base_url):
        raise MemoryError("out of memory laying out a table")

    monkeypatch.setattr("reports.services.render_part", broken)
    report_part_render(part_id=sent["parts"][0])
    failed = job(requested.pk)
    assert failed.status == ReportJob.Status.FAILED
    assert failed.error == "MemoryError: out of memory laying out a table"
    assert not sent["assembly"]


def test_the_pdf_from_parts_rendered_as_tasks_reads_as_the_one_built_in_one_go(
    writer, inspection, hand_counted, sent, django_capture_on_commit_callbacks
):
    requested = report_job_request(inspection=inspection, user=writer, format="pdf", parameters=PARAMETERS)
    with django_capture_on_commit_callbacks(execute=True):
        report_job_run(job_id=requested.pk, parts_as_tasks=True)
    for part_id in sent["parts"]:
        with django_capture_on_commit_callbacks(execute=True):
            report_part_render(part_id=part_id)
    report_job_assemble(job_id=requested.pk, attempt=1)
    from reports.render import render_report

    in_one_go = PdfReader(io.BytesIO(render_report(inspection, "pdf", PARAMETERS)))
    as_tasks = PdfReader(job(requested.pk).file.path)

    def words(reader):
        # The date and time of building aside, page for page the same text.
        return [re.sub(r"\d+ \w+ \d{4}(, \d\d:\d\d)?", "DATE", page.extract_text()) for page in reader.pages]

    assert words(as_tasks) == words(in_one_go)
