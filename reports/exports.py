"""Raw data and spreadsheets: export_results' long format (CSV), and the XLSX workbook —
presentation sheets for readers plus the tidy `data` sheet that SPEC fixes."""

from collections.abc import Callable, Iterator
from typing import TextIO

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from casefiles.models import Answer, Examination, Inspection
from casefiles.spreadsheet_safety import make_workbook_safe, safe_csv_writer
from casefiles.workbooks import freeze_below, link_to_sheet, mark_printed_pages, sheet_name

from .disclosure import SUPPRESSED, SUPPRESSED_NOTE, every_breakdown_tables, headline_suppress
from .estimates import ESTIMATE_COLUMNS, WEIGHTED_NOTE, data_sheet_rows, weighted_estimates
from .examples import appendix_examples
from .headlines import Headline, headline_tables
from .parameters import report_counts, report_marking, suppression_threshold
from .tables import (
    DATA_COLUMNS,
    SMALL_GROUP,
    QuestionTable,
    presentation_tables,
)

RESULTS_ANSWER_COLUMNS = ["examination", "inspector", "question", "answer", "comment"]


def results_attribute_codes(inspection: Inspection) -> list[str]:
    return [a.code for a in inspection.case_attributes if "results" in a.exports]


def results_columns(inspection: Inspection) -> list[str]:
    """urn, area, the plan's attributes that the results export carries, then the answer's columns."""
    return ["urn", "area", *results_attribute_codes(inspection), *RESULTS_ANSWER_COLUMNS]


Progress = Callable[[int], None]


def _no_progress(percent: int) -> None:
    return None


def results_answers(inspection: Inspection):
    return Answer.objects.filter(
        examination__case_file__inspection=inspection, examination__status=Examination.Status.SUBMITTED
    )


def results_rows(inspection: Inspection) -> Iterator[list[str]]:
    """export_results' rows, straight from the database as tuples: at 35,000 files (some two
    million answers) building a model instance per answer would take minutes."""
    rows = (
        results_answers(inspection)
        .order_by(
            "examination__case_file__urn", "examination__kind", "examination__examiner__username", "question__order"
        )
        .values_list(
            "examination__case_file__urn",
            "examination__case_file__area__name",
            "examination__case_file__attributes",
            "examination__kind",
            "examination__examiner__username",
            "question__code",
            "value",
            "comment",
        )
    )
    codes = results_attribute_codes(inspection)
    for urn, area, attributes, kind, examiner, code, value, comment in rows.iterator(5000):
        yield [
            urn,
            area,
            *(attributes.get(c, "") for c in codes),
            kind,
            examiner,
            code,
            value,
            comment,
        ]


def write_results_csv(inspection: Inspection, out: TextIO, progress: Progress = _no_progress) -> int:
    total = results_answers(inspection).count() or 1
    writer = safe_csv_writer(out, lineterminator="\n")
    writer.writerow(results_columns(inspection))
    count = 0
    for row in results_rows(inspection):
        writer.writerow(row)
        count += 1
        if count % 50_000 == 0:
            progress(5 + 90 * count // total)
    return count


BOLD = Font(bold=True)
HEADING = Font(bold=True, size=14)
SMALL_FILL = PatternFill("solid", fgColor="F3F2F1")
WRAP = Alignment(wrap_text=True, vertical="top")


def _mark_pages(sheet: Worksheet, marking: str) -> None:
    """The marking on every printed page; a copy approved for publication (no marking) prints none."""
    mark_printed_pages(sheet, marking)
    if not marking:
        for header_footer in (sheet.oddHeader, sheet.evenHeader, sheet.firstHeader):
            header_footer.center.text = None
        for header_footer in (sheet.oddFooter, sheet.evenFooter, sheet.firstFooter):
            header_footer.center.text = None


def _mark(sheet: Worksheet, title: str, marking: str | None = None) -> None:
    """Protective marking in the sheet's first row and on every printed page."""
    marking = settings.PROTECTIVE_MARKING if marking is None else marking
    sheet.append([marking])
    sheet["A1"].font = BOLD
    sheet.append([title])
    sheet["A2"].font = HEADING
    _mark_pages(sheet, marking)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _number(value) -> float | None:
    return None if value is None else float(value)


def write_question_block(sheet: Worksheet, table: QuestionTable) -> None:
    """A question: for each breakdown, groups down the side, for each option its count and percent."""
    sheet.append([])
    sheet.append([f"{table.code}. {table.text}"])
    sheet.cell(sheet.max_row, 1).font = BOLD
    if table.is_multi:
        sheet.append(["More than one answer could be given: percentages are of files answering; they can exceed 100."])
    options = table.real_options
    for block in table.breakdowns:
        first = [block.breakdown.label, "n"]
        second = ["", ""]
        for option in options:
            first += [option.label, ""]
            second += ["No.", "%"]
        if table.has_not_applicable:
            first.append("Not applicable")
            second.append("No.")
        first.append("Note")
        second.append("")
        sheet.append(first)
        sheet.append(second)
        for row_index in (sheet.max_row - 1, sheet.max_row):
            for cell in sheet[row_index]:
                cell.font = BOLD
                cell.alignment = WRAP
        for row in block.rows:
            values: list = [row.label, row.n]
            for option, count, pct in row.answered_cells:
                values += [SUPPRESSED] * 2 if option.code in row.suppressed else [count, _number(pct)]
            if table.has_not_applicable:
                values.append(SUPPRESSED if "na" in row.suppressed else row.not_applicable)
            values.append(f"n < {SMALL_GROUP}" if row.small else "")
            sheet.append(values)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, float):
                    cell.number_format = "0.0"
                if row.small:
                    cell.fill = SMALL_FILL


def write_headline(sheet: Worksheet, headline: Headline) -> None:
    sheet.append([])
    sheet.append([f"{headline.code}. {headline.text}"])
    sheet.cell(sheet.max_row, 1).font = BOLD
    sheet.append(
        [
            f"Percentage answering “{headline.option_label}”: {headline.rows_label} by "
            f"{headline.columns_label.lower()} (n = files answering, not applicable excluded)"
        ]
    )
    header = [headline.rows_label]
    for column in [*headline.columns, "All"]:
        header += [column, f"{column} n"]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
        cell.alignment = WRAP
    for row in [*headline.rows, headline.total]:
        values: list = [row.label]
        for cell in [*row.cells, row.total]:
            values += [SUPPRESSED if cell.suppressed else _number(cell.percent), cell.n]
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, float):
                cell.number_format = "0.0"


def section_sheet_title(code: str, title: str, used: set[str]) -> str:
    return sheet_name(f"{code} {title}", used)


def write_contents(
    sheet: Worksheet, inspection: Inspection, parameters: dict, tables: list[QuestionTable], sheets: dict[str, str]
) -> None:
    sheet.append([f"Generated {timezone.localtime():%d %B %Y %H:%M}"])
    threshold = suppression_threshold(parameters)
    if threshold:
        sheet.append(
            [
                f"Publication copy: counts below {threshold} (other than zero), every answer of a group where "
                f"fewer than {threshold} files answered, and any figure that would reveal one of them through a "
                f"total, are withheld, here and in the sheet “data”. {SUPPRESSED_NOTE}"
            ]
        )
    sheet.append(["Only primary examinations that have been submitted are counted."])
    sheet.append(
        [
            "Percentages are of the answers to each question, excluding “Not applicable”, which is counted "
            "separately; n is that denominator. Groups with n below "
            f"{SMALL_GROUP} are shaded and noted: read their percentages with care."
        ]
    )
    sheet.append(["The sheet “data” holds every count in tidy long format for analysis."])
    sheet.append([WEIGHTED_NOTE])
    sheet.append([])
    sheet.append(["Question", "Text", "Sheet", "n", "Not applicable"])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for table in tables:
        not_applicable = SUPPRESSED if "na" in table.overall.suppressed else table.not_applicable
        sheet.append([table.code, table.text, sheets[table.section_code], table.answered, not_applicable])
        link_to_sheet(sheet.cell(sheet.max_row, 3), sheets[table.section_code])
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 90
    sheet.column_dimensions["C"].width = 32


def build_workbook(
    inspection: Inspection, parameters: dict | None = None, progress: Progress = _no_progress
) -> Workbook:
    parameters = parameters or {}
    marking, threshold = report_marking(parameters), suppression_threshold(parameters)
    counts = report_counts(inspection, parameters)  # the answers read once; every figure is summed from them
    every_breakdown = every_breakdown_tables(inspection, parameters, counts, threshold)
    tables = presentation_tables(every_breakdown, parameters.get("breakdowns") or [])
    progress(40)
    headlines = headline_tables(inspection, parameters, counts)
    if threshold:
        for headline in headlines:
            headline_suppress(headline, threshold)
    progress(50)
    workbook = Workbook()
    contents = workbook.active
    contents.title = "contents"
    _mark(contents, f"{inspection.name}: file examination tables", marking)

    used = {"contents", "headlines", "data"}
    sheets: dict[str, str] = {}
    for table in tables:
        if table.section_code not in sheets:
            sheets[table.section_code] = section_sheet_title(table.section_code, table.section_title, used)
    write_contents(contents, inspection, parameters, tables, sheets)

    if headlines:
        sheet = workbook.create_sheet("headlines")
        _mark(sheet, "Headline tables", marking)
        for headline in headlines:
            write_headline(sheet, headline)
        sheet.column_dimensions["A"].width = 30

    by_section: dict[str, Worksheet] = {}
    for table in tables:
        sheet = by_section.get(table.section_code)
        if sheet is None:
            sheet = by_section[table.section_code] = workbook.create_sheet(sheets[table.section_code])
            _mark(sheet, table.section_title, marking)
            freeze_below(sheet, 2)
            sheet.column_dimensions["A"].width = 30
            for column in range(2, 20):
                sheet.column_dimensions[get_column_letter(column)].width = 11
        write_question_block(sheet, table)
    progress(70)

    examples = appendix_examples(inspection, parameters)
    if examples:
        sheet = workbook.create_sheet("case examples")
        _mark(sheet, "Case examples chosen for the appendix (files named by URN and CPS Area only)", marking)
        sheet.append(["Question", "URN", "CPS Area", "Kind", "Example"])
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
        for e in examples:
            sheet.append([e.question_code, e.urn, e.area, e.kind_label, e.text])
            sheet.cell(sheet.max_row, 5).alignment = WRAP
        sheet.column_dimensions["C"].width = 24
        sheet.column_dimensions["D"].width = 20
        sheet.column_dimensions["E"].width = 90

    estimates = weighted_estimates(inspection, every_breakdown, counts)
    progress(80)
    data = workbook.create_sheet("data")
    # The data sheet stays SPEC's tidy table (its header in row 1, the estimates' columns after SPEC's
    # six), so its marking is on every printed page rather than in a cell a script would have to skip.
    _mark_pages(data, marking)
    freeze_below(data, 1)
    for letter, width in zip("ABCDEF", (10, 16, 28, 20, 8, 9), strict=True):
        data.column_dimensions[letter].width = width
    data.append(DATA_COLUMNS + ESTIMATE_COLUMNS)  # SPEC's six first, unchanged
    rows = data_sheet_rows(every_breakdown, estimates)
    for row in publication_data_rows(every_breakdown, rows) if threshold else rows:
        data.append(row)
    make_workbook_safe(workbook)
    workbook.properties.category = workbook.properties.keywords = settings.PROTECTIVE_MARKING
    progress(85)
    return workbook


def publication_data_rows(tables: list[QuestionTable], rows: Iterator[list]) -> Iterator[list]:
    """The `data` sheet's rows with every withheld cell's figures (count, percent, estimates)
    replaced by SUPPRESSED: SPEC's columns, in SPEC's order, as the working copy has them."""
    hidden = {
        (table.code, block.breakdown.code, row.group, code)
        for table in tables
        for block in table.breakdowns
        for row in block.rows
        for code in row.suppressed
    }
    for row in rows:
        if tuple(row[:4]) in hidden:
            row = [*row[:4], *[SUPPRESSED] * (len(row) - 4)]
        yield row
