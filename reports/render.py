"""Turning an inspection's answers into report files (PDF, XLSX, CSV). Pure of Celery."""

import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from casefiles.models import Inspection

from .tables import question_tables


def render_pdf(inspection: Inspection, parameters: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "reports/report_pdf.html",
        {
            "inspection": inspection,
            "tables": question_tables(inspection),
            "marking": settings.PROTECTIVE_MARKING,
            "generated_at": timezone.now(),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render_csv(inspection: Inspection, parameters: dict) -> bytes:
    from .exports import write_results_csv

    buffer = io.StringIO()
    write_results_csv(inspection, buffer)
    return buffer.getvalue().encode("utf-8")


def render_xlsx(inspection: Inspection, parameters: dict) -> bytes:
    from .exports import build_workbook

    buffer = io.BytesIO()
    build_workbook(inspection).save(buffer)
    return buffer.getvalue()


RENDERERS = {"pdf": render_pdf, "xlsx": render_xlsx, "csv": render_csv}


def render_report(inspection: Inspection, format: str, parameters: dict | None = None) -> bytes:
    return RENDERERS[format](inspection, parameters or {})
