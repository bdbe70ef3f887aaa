from celery import shared_task

from .services import parts_as_tasks, report_job_assemble, report_job_run, report_part_render


# acks_late: the message is acknowledged only when the run ends, so a worker that dies
# mid-build leaves it to be delivered again; reject_on_worker_lost: when the pool child is
# killed (OOM killer, SIGKILL) the message is requeued at once rather than marked failed.
# Both are also the project defaults (settings); they are repeated here because these tasks
# depend on them. A second delivery is harmless: report_job_run claims by attempt, and a
# part or an assembly of an attempt that is no longer the job's does nothing.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_report_job(job_id: int) -> None:
    """A PDF's parts are queued as tasks of their own (a group, without a result backend:
    the parts record themselves in ReportPart, and the last one done queues the assembly),
    so they spread over every worker; this task does not wait for them."""
    report_job_run(job_id=job_id, parts_as_tasks=parts_as_tasks())


@shared_task(acks_late=True, reject_on_worker_lost=True)
def render_report_part(part_id: int) -> None:
    report_part_render(part_id=part_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def assemble_report_job(job_id: int, attempt: int) -> None:
    report_job_assemble(job_id=job_id, attempt=attempt)
