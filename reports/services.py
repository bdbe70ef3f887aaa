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
from .models import ReportJob, ReportPart, stuck_after_seconds
from .parameters import PUBLICATION, report_marking
from .pdf_parts import Bookmark, PdfPlan, RenderedPart, assemble_elsewhere, front_probe, render_part
from .render import pdf_plan, render_report

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


def _file_names(job: ReportJob, attempt: int) -> tuple[str, Path, str]:
    """The job's file (name in the storage, path) and the prefix of its temporary files."""
    name = f"reports/{job.inspection.slug}-report-{job.pk}-{attempt}.{job.format}"
    return name, Path(settings.MEDIA_ROOT) / name, f".tmp-{job.inspection.slug}-report-{job.pk}-"


def _fail(job_id: int, attempt: int, exc: Exception) -> None:
    log.exception("report job %s (attempt %s) failed", job_id, attempt)
    _current(job_id, attempt).update(
        status=ReportJob.Status.FAILED, error=f"{type(exc).__name__}: {exc}", finished_at=timezone.now()
    )


def _write_result(job: ReportJob, attempt: int, write) -> None:
    """Write the job's file atomically and mark the job done, if this attempt still owns it."""
    name, path, temp_prefix = _file_names(job, attempt)
    try:
        write_atomically(path, write, temp_prefix=temp_prefix)
    except Exception as exc:
        _fail(job.pk, attempt, exc)
        return
    finished = _current(job.pk, attempt).update(
        status=ReportJob.Status.DONE,
        file=name,
        progress=100,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    if not finished:  # a later attempt owns the job now: leave no orphan file
        path.unlink(missing_ok=True)


def parts_as_tasks() -> bool:
    return bool(getattr(settings, "REPORTS_PDF_PARTS_AS_TASKS", True))


def report_job_run(*, job_id: int, parts_as_tasks: bool = False) -> ReportJob | None:
    """Build the job's file. Safe to call twice for one job: see the module docstring.

    parts_as_tasks (the Celery task): a PDF's parts are queued as tasks of their own,
    render_report_part, for any worker to take, and this returns at once with the job
    running; the part that finds every part done queues the task that puts them together
    (report_part_render, report_job_assemble). Otherwise the whole file is built here."""
    attempt = report_job_claim(job_id)
    if attempt is None:
        return None
    job = ReportJob.objects.select_related("inspection").get(pk=job_id)
    # Earlier attempts of this job that were killed mid-write left their temporary files.
    name, path, temp_prefix = _file_names(job, attempt)
    remove_leftovers(path.parent, temp_prefix)

    def progress(percent: int) -> None:
        report_job_progress(job_id=job_id, attempt=attempt, percent=percent)

    if job.format == ReportJob.Format.PDF and parts_as_tasks:
        try:
            _queue_parts(job, attempt, pdf_plan(job.inspection, job.parameters, progress))
        except Exception as exc:
            _fail(job_id, attempt, exc)
    else:
        _write_result(
            job,
            attempt,
            lambda out: render_report(job.inspection, job.format, job.parameters, out=out, progress=progress),
        )
    job.refresh_from_db()
    return job


# The job's progress while its parts are rendered: from PARTS_QUEUED to PARTS_DONE.
PARTS_QUEUED = 22
PARTS_DONE = 85


@transaction.atomic
def _queue_parts(job: ReportJob, attempt: int, plan: PdfPlan) -> None:
    if not _current(job.pk, attempt).update(progress=PARTS_QUEUED, heartbeat_at=timezone.now()):
        return  # a later attempt owns the job (this locked its row until the end of the transaction)
    ReportPart.objects.filter(job=job).delete()  # an earlier attempt's
    meta = {
        "title": plan.title,
        "bookmarks": [[b.title, b.anchor, b.level] for b in plan.bookmarks],
        "numbers": plan.numbers,
    }
    ReportPart.objects.create(job=job, attempt=attempt, index=0, html=plan.front, meta=meta)
    ReportPart.objects.bulk_create(
        ReportPart(job=job, attempt=attempt, index=index, html=html) for index, html in enumerate(plan.parts, 1)
    )
    ids = list(ReportPart.objects.filter(job=job, attempt=attempt).values_list("pk", flat=True))
    transaction.on_commit(lambda: _send_parts(job.pk, attempt, ids))


def _send_parts(job_id: int, attempt: int, part_ids: list[int]) -> None:
    from .tasks import render_report_part

    try:
        for part_id in part_ids:
            render_report_part.delay(part_id)
    except Exception as exc:
        _fail(job_id, attempt, exc)


def report_part_render(*, part_id: int) -> None:
    """Render one part of a PDF job (a task; safe to run twice). The part that finds every
    part of its attempt done queues the assembly, exactly once: each part's completion
    holds the job's row locked while it counts (PostgreSQL's row lock; SQLite runs one
    writing transaction at a time)."""
    part = ReportPart.objects.filter(pk=part_id).defer("pdf").first()
    if part is None or not _current(part.job_id, part.attempt).exists():
        return  # a later attempt replaced it, or the job is over
    if part.done_at is None:
        ReportPart.objects.filter(pk=part_id).update(tries=F("tries") + 1)
        # Part 0, the front matter, is rendered with "000" for its page numbers: the
        # assembly learns from it how many pages it takes (pdf_parts.front_probe).
        html = front_probe(_plan(part)) if part.index == 0 else part.html
        try:
            rendered = render_part(html, str(settings.BASE_DIR))
        except Exception as exc:
            _fail(part.job_id, part.attempt, exc)
            return
    with transaction.atomic():
        # First statement: lock the job's row, so completions are counted one at a time.
        if not _current(part.job_id, part.attempt).update(heartbeat_at=timezone.now()):
            return
        if part.done_at is None:
            ReportPart.objects.filter(pk=part_id, done_at__isnull=True).update(
                pdf=rendered.pdf, pages=rendered.pages, anchors=rendered.anchors, done_at=timezone.now()
            )
        siblings = ReportPart.objects.filter(job_id=part.job_id, attempt=part.attempt)
        total = siblings.count()
        done = siblings.filter(done_at__isnull=False).count()
        percent = PARTS_QUEUED + (PARTS_DONE - PARTS_QUEUED) * done // max(total, 1)
        job = _current(part.job_id, part.attempt).filter(progress__lt=percent)
        if job.update(progress=percent) and done == total:
            # Only the completion that moved progress to PARTS_DONE gets here.
            transaction.on_commit(lambda: _send_assembly(part.job_id, part.attempt))


def _send_assembly(job_id: int, attempt: int) -> None:
    from .tasks import assemble_report_job

    try:
        assemble_report_job.delay(job_id, attempt)
    except Exception as exc:
        _fail(job_id, attempt, exc)


def _plan(front: ReportPart) -> PdfPlan:
    """What the assembly needs of the plan, from the front matter's part (index 0)."""
    meta = front.meta
    bookmarks = [Bookmark(*mark) for mark in meta["bookmarks"]]
    return PdfPlan(meta["title"], front.html, [], bookmarks, meta["numbers"], str(settings.BASE_DIR))


def report_job_assemble(*, job_id: int, attempt: int) -> None:
    """Put a PDF job's rendered parts together (a task; safe to run twice): front matter,
    page numbers, one tagged file written atomically; then the parts' content is dropped."""
    if not _current(job_id, attempt).exists():
        return
    job = ReportJob.objects.select_related("inspection").get(pk=job_id)
    parts = list(ReportPart.objects.filter(job=job, attempt=attempt).order_by("index"))
    front, annex = parts[0], parts[1:]
    if any(part.done_at is None for part in parts):
        _fail(job_id, attempt, RuntimeError("a part of the PDF was not rendered"))
        return
    rendered = [RenderedPart(bytes(part.pdf), part.pages, part.anchors) for part in annex]
    probe = RenderedPart(b"", front.pages or 0, front.anchors)
    _write_result(job, attempt, lambda out: out.write(assemble_elsewhere(_plan(front), rendered, probe)))
    if ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.DONE, attempts=attempt).exists():
        # The parts' HTML and PDF are not needed once the file is written; the rows stay, a
        # record of the parts and of how many times each was rendered.
        ReportPart.objects.filter(job=job).update(html="", pdf=None, meta={})


@transaction.atomic
def case_example_choose(*, example: CaseExample, include: bool, text: str) -> CaseExample:
    """Put the example in the appendix, or take it out; text replaces the comment there (names removed)."""
    example.included_in_appendix = include
    example.appendix_text = "" if text.strip() == example.answer.comment.strip() else text.strip()
    example.save(update_fields=["included_in_appendix", "appendix_text"])
    return example
