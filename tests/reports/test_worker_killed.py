"""A report job survives its worker being killed mid-job, on a real `celery worker` process.

Settings under test (inspection/settings.py): CELERY_TASK_ACKS_LATE and
CELERY_TASK_REJECT_ON_WORKER_LOST, prefetch multiplier 1, and on Redis the broker's
visibility timeout (CELERY_VISIBILITY_TIMEOUT). Each test's workers read their own queue,
so no other worker in the session can take the job."""

import random
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from casefiles.models import Area, Inspection
from questionset.models import Question
from questionset.services import DEFAULT_QUESTION_SET, question_set_load_file
from reports.models import ReportJob, ReportPart
from reports.services import parameters_key, report_job_retry
from reports.tasks import run_report_job
from sampling.plan import DEFAULT_PLAN, load_plan_file
from tests.conftest import make_case_file
from tests.helpers import wait_for

from .conftest import record_examination

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ON_REDIS = settings.CELERY_BROKER_URL.startswith("redis")
# A section of the real question set with every breakdown: a PDF of some 25 pages, which
# takes long enough (seconds) to be killed in the middle of.
PARAMETERS = {
    "sections": ["FS"],
    "questions": [],
    "breakdowns": ["area", "court", "category", "outcome", "domestic_abuse"],
    "headlines": {"questions": ["FS1"], "rows": "area", "columns": "court"},
}


@pytest.fixture
def queue() -> str:
    return f"reports-kill-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def slow_job(writer, inspector) -> ReportJob:
    question_set = question_set_load_file(path=DEFAULT_QUESTION_SET)
    inspection = Inspection.objects.create(
        slug="kill-test", name="Kill test", question_set=question_set, plan=load_plan_file(DEFAULT_PLAN).as_data()
    )
    questions = list(Question.objects.filter(question_set=question_set, section__code="FS").prefetch_related("options"))
    rng = random.Random(3)
    areas = list(Area.objects.all())
    for i in range(40):
        outcome = rng.choice(["charged", "nfa"])
        case_file = make_case_file(
            inspection,
            f"K{i:03d}",
            assigned_to=inspector,
            area=rng.choice(areas),
            outcome=outcome,
            court="" if outcome == "nfa" else rng.choice(["magistrates", "crown"]),
            domestic_abuse=rng.random() < 0.5,
        )
        answers = {q.code: rng.choice([o.code for o in q.options.all()]) for q in questions if q.options.all()}
        record_examination(case_file, inspector, answers)
    return ReportJob.objects.create(
        inspection=inspection,
        format="pdf",
        parameters=PARAMETERS,
        parameters_key=parameters_key("pdf", PARAMETERS),
        requested_by=writer,
    )


def job(pk: int) -> ReportJob:
    return ReportJob.objects.get(pk=pk)


def wait_until_mid_job(pk: int, worker) -> None:
    """Until the job is running and a worker is laying out one of the PDF's parts."""
    assert wait_for(lambda: rendering(pk) is not None, 120, 0.02), worker.text()[-3000:]


def rendering(pk: int) -> ReportPart | None:
    """The part of the job's PDF a worker started and has not finished."""
    return ReportPart.objects.filter(job_id=pk, tries__gte=1, done_at__isnull=True).first()


def assert_done_and_whole(pk: int, attempts: int, workers) -> None:
    logs = "\n".join(w.text()[-2000:] for w in workers)
    assert wait_for(lambda: job(pk).is_finished, 180), logs
    finished = job(pk)
    assert (finished.status, finished.attempts) == (ReportJob.Status.DONE, attempts), finished.error or logs
    reader = PdfReader(finished.file.path)
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in reader.pages[-1].extract_text()
    folder = Path(settings.MEDIA_ROOT) / "reports"
    assert not list(folder.glob(f".tmp-kill-test-report-{pk}-*")), "a half-written file was left behind"


def test_a_job_whose_worker_child_is_killed_renders_that_part_again_at_once(slow_job, start_worker, queue):
    worker = start_worker(CELERY_QUEUE=queue)
    run_report_job.apply_async(args=[slow_job.pk], queue=queue)
    wait_until_mid_job(slow_job.pk, worker)
    part = rendering(slow_job.pk)
    killed = worker.kill_child()
    # acks_late + reject_on_worker_lost: the pool notices the lost child, the part's message
    # is requeued, and the replacement child renders that part again; the job's other parts
    # and its attempt are untouched.
    assert_done_and_whole(slow_job.pk, 1, [worker])
    assert ReportPart.objects.get(pk=part.pk).tries == 2
    assert killed not in worker.children()
    assert "WorkerLostError" in worker.text() or "SIGKILL" in worker.text()


@pytest.mark.skipif(not ON_REDIS, reason="redelivery after a lost connection needs the Redis broker")
def test_a_job_whose_whole_worker_is_killed_is_redelivered_by_redis(slow_job, start_worker, queue):
    first = start_worker(CELERY_QUEUE=queue)
    run_report_job.apply_async(args=[slow_job.pk], queue=queue)
    wait_until_mid_job(slow_job.pk, first)
    part = rendering(slow_job.pk)
    first.kill_all()
    killed_at = time.monotonic()
    assert job(slow_job.pk).status == ReportJob.Status.RUNNING  # left behind, the part's message unacknowledged
    # Redis hands an unacknowledged message to a consumer once it is older than the
    # visibility timeout: a short one here, so the test need not wait the default. A worker
    # sweeps for such messages when it starts (then every unacked_restore_interval ×
    # unacked_restore_throttle seconds), so start the second one after the timeout.
    time.sleep(max(0.0, 6 - (time.monotonic() - killed_at)))
    second = start_worker(CELERY_QUEUE=queue, CELERY_VISIBILITY_TIMEOUT="5")
    assert_done_and_whole(slow_job.pk, 1, [first, second])
    assert ReportPart.objects.get(pk=part.pk).tries == 2


@pytest.mark.skipif(ON_REDIS, reason="on Redis the message is redelivered; see the test above")
def test_a_job_lost_with_its_whole_worker_can_be_queued_again(slow_job, start_worker, queue, settings):
    first = start_worker(CELERY_QUEUE=queue)
    run_report_job.apply_async(args=[slow_job.pk], queue=queue)
    wait_until_mid_job(slow_job.pk, first)
    first.kill_all()
    second = start_worker(CELERY_QUEUE=queue)
    time.sleep(5)
    # The filesystem broker removed the part's message when the first worker took it:
    # nothing comes back by itself (the second worker renders the other parts), and the
    # job would stay "running" for ever…
    assert (job(slow_job.pk).status, job(slow_job.pk).attempts) == (ReportJob.Status.RUNNING, 1)
    assert not job(slow_job.pk).is_stuck
    # …until it has shown no sign of life for REPORTS_STUCK_AFTER: then the job page offers
    # "Queue it again" (and `requeue_stuck_reports` does the same from cron), which sends
    # the task to the default queue, and the job is built again from the start.
    settings.REPORTS_STUCK_AFTER = 1
    assert wait_for(lambda: job(slow_job.pk).is_stuck, 60), second.text()[-2000:]
    third = start_worker(CELERY_QUEUE=settings.CELERY_TASK_DEFAULT_QUEUE)
    assert report_job_retry(job=job(slow_job.pk)).status == ReportJob.Status.QUEUED
    assert_done_and_whole(slow_job.pk, 2, [first, second, third])
