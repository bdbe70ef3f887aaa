"""Turning an inspection's answers into report files (PDF, XLSX, CSV). Pure of Celery:
the task, the build_report command and the tests all call render_report."""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from casefiles.models import Inspection

from .charts import chart_height_mm, question_chart
from .disclosure import SUPPRESSED, SUPPRESSED_NOTE, every_breakdown_tables, headline_suppress, national_suppress
from .examples import appendix_examples
from .headlines import headline_tables
from .parameters import report_counts, report_marking, suppression_threshold
from .pdf_parts import NUMBERS_PAGE, Bookmark, PdfPlan, RendererPool, default_processes, page_slot, render_pdf_here
from .tables import (
    SMALL_GROUP,
    QuestionTable,
    breakdowns_of,
    counted_examinations,
    presentation_tables,
    question_tables,
)

Progress = Callable[[int], None]


def _no_progress(percent: int) -> None:
    return None


@dataclass
class QuestionPage:
    table: QuestionTable
    chart: SafeString
    number: int  # the question's place in the annex: its tables are A<number>, its figure A<number>
    table_own_page: bool = False  # the table starts a page: it would not fit under the figure
    page: int | str | None = None  # where it starts in the merged PDF (or its slot, until known), for the contents


@dataclass
class SectionPages:
    code: str
    title: str
    questions: list[QuestionPage] = field(default_factory=list)
    page: int | str | None = None


def chosen_breakdowns(inspection: Inspection, parameters: dict) -> list[str]:
    return [b for b in list(breakdowns_of(inspection))[1:] if b in (parameters.get("breakdowns") or [])]


def questions_label(parameters: dict) -> str:
    chosen = [*(parameters.get("sections") or []), *(parameters.get("questions") or [])]
    return f"Sections and questions {', '.join(chosen)}" if chosen else "Every question with set answers"


def chart_table(table: QuestionTable) -> QuestionTable | None:
    """The table a publication copy's chart may draw: a bar's length would give a withheld
    figure away, so groups with one are left out (None: nothing to draw)."""
    if table.overall.suppressed:
        return None
    return replace(
        table,
        breakdowns=[replace(b, rows=[r for r in b.rows if not r.suppressed]) for b in table.breakdowns],
    )


def pdf_context(inspection: Inspection, parameters: dict, progress: Progress = _no_progress) -> dict:
    """Everything the annex's templates show: the counting (SQL) is done here, once."""
    # Imported here: numpy, SciPy and statsmodels take 200 MB, which a worker that only
    # renders parts of a PDF should not carry.
    from .estimates import headline_estimates, weighting_summary

    breakdowns = chosen_breakdowns(inspection, parameters)
    known = breakdowns_of(inspection)
    threshold = suppression_threshold(parameters)
    # The answers are read once for every figure (reports.parameters.report_counts).
    counts = report_counts(inspection, parameters)
    if threshold:
        tables = presentation_tables(every_breakdown_tables(inspection, parameters, counts, threshold), breakdowns)
    else:
        tables = question_tables(inspection, parameters, counts=counts)
    progress(15)
    headlines = headline_tables(inspection, parameters, counts=counts)
    national = headline_estimates(inspection, [h.code for h in headlines], counts=counts)
    by_code = {t.code: t for t in tables}
    for headline in headlines:
        headline.national = national.get(headline.code, [])
        if threshold:
            headline_suppress(headline, threshold)
            national_suppress(headline.national, by_code.get(headline.code), threshold)
    progress(20)
    # The chart shows the first breakdown chosen, so a chart never needs more than ~15 bars.
    chart_breakdown = breakdowns[0] if breakdowns else None
    sections: list[SectionPages] = []
    for number, table in enumerate(tables, start=1):
        if not sections or sections[-1].code != table.section_code:
            sections.append(SectionPages(table.section_code, table.section_title))
        drawn = chart_table(table) if threshold else table
        chart = question_chart(drawn, chart_breakdown) if drawn else SafeString("")
        own_page = bool(chart) and _fits_under_figure(table, chart_breakdown) is False
        sections[-1].questions.append(QuestionPage(table, chart, number, own_page))
    return {
        "inspection": inspection,
        "title": f"{inspection.name}: file examination tables",
        "sections": sections,
        "headlines": headlines,
        "examples": appendix_examples(inspection, parameters),
        "breakdown_labels": [known[b].label for b in breakdowns],
        "questions_label": questions_label(parameters),
        "chart_breakdown": known[chart_breakdown].label if chart_breakdown else "",
        "small_group": SMALL_GROUP,
        "weighting": weighting_summary(inspection, counts=counts),
        "files_counted": counted_examinations(inspection).count(),
        "marking": report_marking(parameters),
        "publication": bool(threshold),
        "threshold": threshold,
        "suppressed": SUPPRESSED,
        "suppressed_note": SUPPRESSED_NOTE,
        "source": f"{inspection.name}, file examination: primary examinations submitted by "
        f"{timezone.localtime():%-d %B %Y}",
        "generated_at": timezone.localtime(),
    }


# An A4 page's height inside its margins, and what a question's table takes (the stylesheet's
# sizes: 8 pt text at 1.35 line height and 0.9 mm padding a row), in millimetres.
PAGE_HEIGHT_MM = 257
TABLE_ROW_MM = 5.6
TABLE_GROUP_MM = 6.5
TABLE_FRAME_MM = 32  # caption, column headings of two or three lines, the source note under it
QUESTION_HEADING_MM = 20  # the question (one or two lines), the figure's caption


def _fits_under_figure(table: QuestionTable, chart_breakdown: str | None) -> bool:
    """Whether a question's figure and table fit on one page, by the stylesheet's sizes.

    When they do not, the table starts the next page. WeasyPrint would put it there anyway
    (tables are not split), but only after laying out as many rows as fit under the figure
    and throwing them away: a fifth of the annex's layout time. Estimated on the short
    side, so a table that might fit is left for WeasyPrint to place."""
    rows = sum(len(block.rows) for block in table.breakdowns)
    table_mm = TABLE_FRAME_MM + TABLE_ROW_MM * rows + TABLE_GROUP_MM * (len(table.breakdowns) - 1)
    return QUESTION_HEADING_MM + chart_height_mm(table, chart_breakdown) + table_mm <= PAGE_HEIGHT_MM


def pdf_html(inspection: Inspection, parameters: dict, progress: Progress = _no_progress) -> str:
    """The whole annex as one HTML document (unpaginated: for reading, and for tests of the text)."""
    return render_to_string("reports/report_pdf.html", {**pdf_context(inspection, parameters, progress), "part": "all"})


# A section of more questions than this is split into parts of about this many, so no part's
# rendering needs much more memory than another's and the cores finish together.
QUESTIONS_A_PART = 12


@dataclass
class Part:
    kind: str  # headlines | section | appendix
    sections: list[SectionPages] = field(default_factory=list)
    continued: bool = False


def annex_parts(context: dict) -> list[Part]:
    parts: list[Part] = []
    if context["headlines"]:
        parts.append(Part("headlines"))
    for section in context["sections"]:
        chunks = max(1, round(len(section.questions) / QUESTIONS_A_PART))
        size = -(-len(section.questions) // chunks)
        for start in range(0, len(section.questions), size):
            piece = SectionPages(section.code, section.title, section.questions[start : start + size])
            parts.append(Part("section", [piece], continued=start > 0))
    if context["examples"]:
        parts.append(Part("appendix"))
    return parts


def annex_bookmarks(context: dict) -> list[Bookmark]:
    marks = [Bookmark("Contents", "contents", 0), Bookmark("About these tables", "about", 0)]
    if context["headlines"]:
        marks.append(Bookmark("Headline tables", "headlines", 0))
    for section in context["sections"]:
        marks.append(Bookmark(section.title, f"section-{section.code}", 0))
        marks += [Bookmark(f"{q.table.code}. {q.table.text}", f"q-{q.table.code}", 1) for q in section.questions]
    if context["examples"]:
        marks.append(Bookmark("Appendix: case examples", "appendix", 0))
    return marks


def _squeeze(html: str) -> str:
    """Runs of whitespace between tags made one space: the template's indentation is a tenth
    of a part's HTML, and WeasyPrint's pure-Python HTML parser reads every character."""
    return re.sub(r">\s+<", "> <", html)


def _part_html(context: dict, part: Part) -> str:
    return _squeeze(
        render_to_string(
            "reports/report_pdf.html",
            {**context, "part": part.kind, "part_sections": part.sections, "continued": part.continued},
        )
    )


def pdf_processes() -> int:
    return int(getattr(settings, "REPORTS_PDF_PROCESSES", 0) or default_processes())


def pdf_plan(inspection: Inspection, parameters: dict, progress: Progress = _no_progress) -> PdfPlan:
    """The counting (SQL) and the templates: everything but the layout."""
    context = pdf_context(inspection, parameters, progress)
    parts = annex_parts(context)
    htmls = [_part_html(context, part) for part in parts]
    anchors = ["contents", "about", "headlines", "appendix"]
    for section in context["sections"]:
        section.page = page_slot(f"section-{section.code}")
        anchors.append(f"section-{section.code}")
        for question in section.questions:
            question.page = page_slot(f"q-{question.table.code}")
            anchors.append(f"q-{question.table.code}")
    front_context = {**context, "part": "front", "starts": {anchor: page_slot(anchor) for anchor in anchors}}
    front = _squeeze(render_to_string("reports/report_pdf.html", front_context))
    numbers = render_to_string("reports/report_pdf.html", {"part": "numbers", "pages": range(1)})
    assert numbers.count(NUMBERS_PAGE) == 1
    return PdfPlan(context["title"], front, htmls, annex_bookmarks(context), numbers, str(settings.BASE_DIR))


def render_pdf(inspection: Inspection, parameters: dict, out: BinaryIO, progress: Progress) -> None:
    """Parts rendered in parallel here, in pdf_processes() processes of this machine (the
    Celery task spreads them over the workers instead: services.report_job_run)."""
    processes = pdf_processes()
    with RendererPool(processes, spare=True) as pool:  # started now, so they start up while the counting runs
        plan = pdf_plan(inspection, parameters, progress)
        progress(22)
        # Progress is real: each part finished moves it on.
        done = lambda finished, total: progress(22 + 63 * finished // total)  # noqa: E731
        out.write(render_pdf_here(plan, processes, done, pool))


def render_html(inspection: Inspection, parameters: dict, out: BinaryIO, progress: Progress) -> None:
    """The annex's tables as one GOV.UK-styled web page, the form GOV.UK prefers to publish."""
    context = pdf_context(inspection, parameters, progress)
    progress(60)
    # The file is read away from this site, so its stylesheet travels inside it.
    css = (Path(settings.BASE_DIR) / "static" / "css" / "annex.css").read_text()
    stylesheet = format_html("<style>{}</style>", css)
    out.write(render_to_string("reports/annex.html", {**context, "stylesheet": stylesheet}).encode())


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
    "html": render_html,
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
