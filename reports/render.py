"""Turning an inspection's answers into report files (PDF, XLSX, CSV). Pure of Celery:
the task, the build_report command and the tests all call render_report."""

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from casefiles.models import Inspection

from .charts import question_chart
from .estimates import headline_estimates, weighting_summary
from .examples import appendix_examples
from .headlines import headline_tables
from .tables import SMALL_GROUP, QuestionTable, breakdowns_of, counted_examinations, question_tables

Progress = Callable[[int], None]


def _no_progress(percent: int) -> None:
    return None


@dataclass
class QuestionPage:
    table: QuestionTable
    chart: SafeString


@dataclass
class SectionPages:
    code: str
    title: str
    questions: list[QuestionPage] = field(default_factory=list)


def chosen_breakdowns(inspection: Inspection, parameters: dict) -> list[str]:
    return [b for b in list(breakdowns_of(inspection))[1:] if b in (parameters.get("breakdowns") or [])]


def questions_label(parameters: dict) -> str:
    chosen = [*(parameters.get("sections") or []), *(parameters.get("questions") or [])]
    return f"Sections and questions {', '.join(chosen)}" if chosen else "Every question with set answers"


def pdf_html(inspection: Inspection, parameters: dict, progress: Progress = _no_progress) -> str:
    breakdowns = chosen_breakdowns(inspection, parameters)
    known = breakdowns_of(inspection)
    tables = question_tables(inspection, parameters)
    progress(30)
    headlines = headline_tables(inspection, parameters)
    national = headline_estimates(inspection, [h.code for h in headlines])
    for headline in headlines:
        headline.national = national.get(headline.code, [])
    progress(40)
    # The chart shows the first breakdown chosen, so a chart never needs more than ~15 bars.
    chart_breakdown = breakdowns[0] if breakdowns else None
    sections: list[SectionPages] = []
    for table in tables:
        if not sections or sections[-1].code != table.section_code:
            sections.append(SectionPages(table.section_code, table.section_title))
        sections[-1].questions.append(QuestionPage(table, mark_safe(question_chart(table, chart_breakdown))))  # noqa: S308 - built from escaped parts
    return render_to_string(
        "reports/report_pdf.html",
        {
            "inspection": inspection,
            "sections": sections,
            "headlines": headlines,
            "examples": appendix_examples(inspection, parameters),
            "breakdown_labels": [known[b].label for b in breakdowns],
            "questions_label": questions_label(parameters),
            "chart_breakdown": known[chart_breakdown].label if chart_breakdown else "",
            "small_group": SMALL_GROUP,
            "weighting": weighting_summary(inspection),
            "files_counted": counted_examinations(inspection).count(),
            "marking": settings.PROTECTIVE_MARKING,
            "generated_at": timezone.localtime(),
        },
    )


def render_pdf(inspection: Inspection, parameters: dict, out: BinaryIO, progress: Progress) -> None:
    from weasyprint import HTML

    html = pdf_html(inspection, parameters, progress)
    progress(50)
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    progress(85)
    document.write_pdf(target=out)


def render_csv(inspection: Inspection, parameters: dict, out: BinaryIO, progress: Progress) -> None:
    from .exports import write_results_csv

    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    write_results_csv(inspection, text, progress)
    text.flush()
    text.detach()  # leave the caller's file open


def render_xlsx(inspection: Inspection, parameters: dict, out: BinaryIO, progress: Progress) -> None:
    from .exports import build_workbook

    build_workbook(inspection, parameters, progress).save(out)


def render_analysis(format: str) -> Callable:
    def render(inspection: Inspection, parameters: dict, out: BinaryIO, progress: Progress) -> None:
        from .analysis_exports import WRITERS, analysis_data

        data = analysis_data(inspection)
        progress(60)
        WRITERS[format](data, out)

    return render


RENDERERS = {
    "pdf": render_pdf,
    "xlsx": render_xlsx,
    "csv": render_csv,
    **{format: render_analysis(format) for format in ("dta", "sav", "cbk")},
}


def render_report(
    inspection: Inspection,
    format: str,
    parameters: dict | None = None,
    out: BinaryIO | None = None,
    progress: Progress = _no_progress,
) -> bytes | None:
    """Write the report to out; without out, return its bytes."""
    if out is None:
        buffer = io.BytesIO()
        RENDERERS[format](inspection, parameters or {}, buffer, progress)
        return buffer.getvalue()
    RENDERERS[format](inspection, parameters or {}, out, progress)
    return None
