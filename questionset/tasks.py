from celery import shared_task

from .pdf import question_set_pdf_build


@shared_task(acks_late=True, reject_on_worker_lost=True)
def build_question_set_pdf(question_set_id: int) -> None:
    question_set_pdf_build(question_set_id)
