"""The question set as an A4 PDF, made once per version (a version never changes)."""

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from .models import QuestionSet
from .presentation import question_set_sections


def pdf_path(question_set: QuestionSet) -> Path:
    # The checksum (and the marking) in the name: a cached file can never be of other content.
    marking = "".join(c for c in settings.PROTECTIVE_MARKING if c.isalnum())[:20]
    name = f"{question_set.code}-v{question_set.number}-{question_set.checksum[:12]}-{marking}.pdf"
    return Path(settings.MEDIA_ROOT) / "question-sets" / name


def render_question_set_pdf(question_set: QuestionSet) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "questionset/question_set_pdf.html",
        {
            "question_set": question_set,
            "sections": question_set_sections(question_set),
            "marking": settings.PROTECTIVE_MARKING,
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def question_set_pdf_ready(question_set: QuestionSet) -> Path | None:
    """The version's PDF file if a worker has made it, else None."""
    path = pdf_path(question_set)
    return path if path.exists() else None


def question_set_pdf_build(question_set_id: int) -> Path:
    """Make the version's PDF file unless it exists (the worker's job: 6–7 s, never in a request).
    Safe to run twice: the file is written beside its place and renamed into it."""
    question_set = QuestionSet.objects.get(pk=question_set_id)
    path = pdf_path(question_set)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        content = render_question_set_pdf(question_set)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        os.replace(tmp, path)
    return path


def question_set_pdf_request(question_set: QuestionSet) -> None:
    """Queue the version's PDF, once the transaction that made the version has committed."""
    from django.db import transaction

    from .tasks import build_question_set_pdf

    pk = question_set.pk
    transaction.on_commit(lambda: build_question_set_pdf.delay(pk))
