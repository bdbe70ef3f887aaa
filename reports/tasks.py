from celery import shared_task

from .services import report_job_run


# acks_late: the message is acknowledged only when the run ends, so a worker that dies
# mid-build leaves it to be delivered again; reject_on_worker_lost: when the pool child is
# killed (OOM killer, SIGKILL) the message is requeued at once rather than marked failed.
# Both are also the project defaults (settings); they are repeated here because this task
# depends on them. A second delivery is harmless: report_job_run claims by attempt.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_report_job(job_id: int) -> None:
    report_job_run(job_id=job_id)
