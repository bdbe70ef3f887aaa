from celery import shared_task

from .services import report_job_run


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_report_job(job_id: int) -> None:
    report_job_run(job_id=job_id)
