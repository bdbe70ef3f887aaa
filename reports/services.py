"""Report jobs: request one (queued on commit), run one (idempotent, atomic file write)."""

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from casefiles.models import Inspection

from .models import ReportJob
from .render import render_report

log = logging.getLogger(__name__)


def parameters_key(format: str, parameters: dict) -> str:
    return hashlib.sha256(json.dumps([format, parameters], sort_keys=True).encode()).hexdigest()


@transaction.atomic
def report_job_request(*, inspection: Inspection, user, format: str, parameters: dict | None = None) -> ReportJob:
    """Queue a report. The same request while an identical one is queued or running returns that one."""
    from .tasks import run_report_job

    parameters = parameters or {}
    key = parameters_key(format, parameters)
    Inspection.objects.select_for_update().get(pk=inspection.pk)  # serialise identical requests
    pending = ReportJob.objects.filter(
        inspection=inspection, parameters_key=key, status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING]
    ).first()
    if pending is not None:
        return pending
    job = ReportJob.objects.create(
        inspection=inspection, format=format, parameters=parameters, parameters_key=key, requested_by=user
    )
    transaction.on_commit(lambda: run_report_job.delay(job.pk))
    return job


@transaction.atomic
def report_job_retry(*, job: ReportJob) -> ReportJob:
    from .tasks import run_report_job

    updated = ReportJob.objects.filter(pk=job.pk, status=ReportJob.Status.FAILED).update(
        status=ReportJob.Status.QUEUED, error="", progress=0
    )
    if updated:
        transaction.on_commit(lambda: run_report_job.delay(job.pk))
    job.refresh_from_db()
    return job


def report_job_claim(job_id: int) -> bool:
    """Claim the job for this run. A job already done is not built again; a job left
    running by a killed worker is claimed again by the redelivered task."""
    return bool(
        ReportJob.objects.filter(pk=job_id, status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING]).update(
            status=ReportJob.Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1, progress=5
        )
    )


def write_atomically(relative_name: str, content: bytes) -> str:
    """Write under MEDIA_ROOT via a temporary file and a rename: never a half-written report."""
    target = Path(settings.MEDIA_ROOT) / relative_name
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return relative_name


def report_job_run(*, job_id: int) -> ReportJob | None:
    if not report_job_claim(job_id):
        return None
    job = ReportJob.objects.select_related("inspection").get(pk=job_id)
    try:
        content = render_report(job.inspection, job.format, job.parameters)
        name = write_atomically(f"reports/{job.download_name}", content)
    except Exception as exc:
        log.exception("report job %s failed", job_id)
        ReportJob.objects.filter(pk=job_id).update(
            status=ReportJob.Status.FAILED, error=f"{type(exc).__name__}: {exc}", finished_at=timezone.now()
        )
    else:
        ReportJob.objects.filter(pk=job_id).update(
            status=ReportJob.Status.DONE, file=name, progress=100, finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job
