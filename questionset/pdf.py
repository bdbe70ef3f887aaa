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


def question_set_pdf(question_set: QuestionSet) -> Path:
    """The version's PDF file, rendering it the first time it is asked for."""
    path = pdf_path(question_set)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        content = render_question_set_pdf(question_set)
        # Write beside it and rename, so a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        os.replace(tmp, path)
    return path
