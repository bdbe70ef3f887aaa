"""Report jobs: request one (queued on commit), run one (claimed, idempotent, written
atomically), retry one that failed or whose task was lost.

Each run claims the job with a conditional UPDATE that also counts the attempt; the run
then writes progress and its result only while that attempt is still the job's current
one. So a task delivered twice (a redelivery after a killed worker, a retry of a job that
looked stuck) never leaves two results: the later attempt wins, the earlier one's writes
match nothing and its file is removed."""

import datetime
import hashlib
import json
import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from casefiles.models import CaseExample, Inspection

from .files import remove_leftovers, write_atomically
from .models import ReportJob, stuck_after_seconds
from .parameters import PUBLICATION, report_marking
from .render import render_report

log = logging.getLogger(__name__)

PENDING = [ReportJob.Status.QUEUED, ReportJob.Status.RUNNING]


def parameters_key(format: str, parameters: dict) -> str:
    return hashlib.sha256(json.dumps([format, parameters], sort_keys=True).encode()).hexdigest()


BROKER_DOWN = "The task queue could not be reached, so the report was not started. Try again in a few minutes."


def _enqueue(job_id: int) -> None:
    transaction.on_commit(lambda: _send(job_id))


def _send(job_id: int) -> None:
    """Hand the job to the broker; if the broker cannot be reached, the job fails at once
    with a message and a retry button, rather than a 500 and a job queued for ever (which
    identical requests would then be given for REPORTS_STUCK_AFTER seconds)."""
    from .tasks import run_report_job

    try:
        run_report_job.delay(job_id)
    except Exception:
        log.exception("report job %s could not be queued", job_id)
        ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.QUEUED).update(
            status=ReportJob.Status.FAILED, error=BROKER_DOWN, finished_at=timezone.now()
        )


@transaction.atomic
def report_job_request(*, inspection: Inspection, user, format: str, parameters: dict | None = None) -> ReportJob:
    """Queue a report. The same request while an identical one is queued or running returns that one."""
    parameters = parameters or {}
    key = parameters_key(format, parameters)
    Inspection.objects.select_for_update().get(pk=inspection.pk)  # serialise identical requests
    pending = ReportJob.objects.filter(inspection=inspection, parameters_key=key, status__in=PENDING).first()
    if pending is not None:
        return pending
    publication = parameters.get("variant") == PUBLICATION
    job = ReportJob.objects.create(
        inspection=inspection,
        format=format,
        parameters=parameters,
        parameters_key=key,
        requested_by=user,
        variant=parameters.get("variant") or "working",
        marking=report_marking(parameters),
        # Who chose a publication copy's marking, and when, is kept with the job for the record.
        marking_chosen_by=user if publication else None,
        marking_chosen_at=timezone.now() if publication else None,
    )
    _enqueue(job.pk)
    return job


@transaction.atomic
def report_job_retry(*, job: ReportJob) -> ReportJob:
    """Queue again a job that failed, or one that is stuck (queued or running with no sign of
    life for REPORTS_STUCK_AFTER seconds). Anything else is left as it is."""
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=stuck_after_seconds())
    failed = ReportJob.objects.filter(pk=job.pk, status=ReportJob.Status.FAILED)
    stuck = ReportJob.objects.filter(pk=job.pk, status__in=PENDING, heartbeat_at__lt=stale)
    updated = (failed | stuck).update(status=ReportJob.Status.QUEUED, error="", progress=0, heartbeat_at=now)
    if updated:
        _enqueue(job.pk)
    job.refresh_from_db()
    return job


def report_jobs_requeue_stuck() -> list[int]:
    """Queue again every stuck job (for cron, or after restoring a broker). Returns their ids."""
    stale = timezone.now() - datetime.timedelta(seconds=stuck_after_seconds())
    requeued = []
    for job in ReportJob.objects.filter(status__in=PENDING, heartbeat_at__lt=stale):
        if report_job_retry(job=job).status == ReportJob.Status.QUEUED:
            requeued.append(job.pk)
    return requeued


@transaction.atomic
def report_job_claim(job_id: int) -> int | None:
    """Claim the job for this run and return the attempt number, or None when there is
    nothing to do. A job left running by a killed worker is claimed again by the
    redelivered task; a job already done or failed is not built again."""
    now = timezone.now()
    claimed = ReportJob.objects.filter(pk=job_id, status__in=PENDING).update(
        status=ReportJob.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
        progress=5,
        error="",
    )
    if not claimed:
        return None
    return ReportJob.objects.values_list("attempts", flat=True).get(pk=job_id)


def _current(job_id: int, attempt: int):
    return ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.RUNNING, attempts=attempt)


def report_job_progress(*, job_id: int, attempt: int, percent: int) -> None:
    _current(job_id, attempt).update(progress=percent, heartbeat_at=timezone.now())


def report_job_run(*, job_id: int) -> ReportJob | None:
    """Build the job's file. Safe to call twice for one job: see the module docstring."""
    attempt = report_job_claim(job_id)
    if attempt is None:
        return None
    job = ReportJob.objects.select_related("inspection").get(pk=job_id)
    name = f"reports/{job.inspection.slug}-report-{job.pk}-{attempt}.{job.format}"
    path = Path(settings.MEDIA_ROOT) / name
    # Earlier attempts of this job that were killed mid-write left their temporary files.
    temp_prefix = f".tmp-{job.inspection.slug}-report-{job.pk}-"
    remove_leftovers(path.parent, temp_prefix)

    def progress(percent: int) -> None:
        report_job_progress(job_id=job_id, attempt=attempt, percent=percent)

    try:
        write_atomically(
            path,
            lambda out: render_report(job.inspection, job.format, job.parameters, out=out, progress=progress),
            temp_prefix=temp_prefix,
        )
    except Exception as exc:
        log.exception("report job %s (attempt %s) failed", job_id, attempt)
        _current(job_id, attempt).update(
            status=ReportJob.Status.FAILED, error=f"{type(exc).__name__}: {exc}", finished_at=timezone.now()
        )
    else:
        finished = _current(job_id, attempt).update(
            status=ReportJob.Status.DONE,
            file=name,
            progress=100,
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )
        if not finished:  # a later attempt owns the job now: leave no orphan file
            path.unlink(missing_ok=True)
    job.refresh_from_db()
    return job


@transaction.atomic
def case_example_choose(*, example: CaseExample, include: bool, text: str) -> CaseExample:
    """Put the example in the appendix, or take it out; text replaces the comment there (names removed)."""
    example.included_in_appendix = include
    example.appendix_text = "" if text.strip() == example.answer.comment.strip() else text.strip()
    example.save(update_fields=["included_in_appendix", "appendix_text"])
    return example
