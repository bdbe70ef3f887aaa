"""Every agreement table in one XLSX workbook: the dip tables and, per exercise, its
question table and the long-format grid of who answered what."""

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from casefiles.models import Inspection
from casefiles.spreadsheet_safety import make_workbook_safe
from casefiles.workbooks import fit_columns, freeze_below, link_to_sheet, mark_printed_pages, sheet_name

from .agreement import AGREEMENT_THRESHOLD, KAPPA_THRESHOLD
from .measures import DipTables, ExerciseTables

BOLD = Font(bold=True)


def _sheet(workbook: Workbook, title: str, heading: str, columns: list[str]) -> Worksheet:
    """A sheet with the protective marking in its first row and on every printed page."""
    used = {name.lower() for name in workbook.sheetnames}
    sheet = workbook.create_sheet(sheet_name(title, used))
    marking = settings.PROTECTIVE_MARKING
    sheet.append([marking])
    sheet.append([heading])
    sheet.append(columns)
    for cell in (sheet["A1"], sheet["A2"], *sheet[3]):
        cell.font = BOLD
    mark_printed_pages(sheet, marking)
    freeze_below(sheet, 3)
    return sheet


def _round(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


def _yes(flag: bool) -> str:
    return "yes" if flag else ""


def write_dip(workbook: Workbook, tables: DipTables) -> None:
    sheet = _sheet(
        workbook,
        "dip by question",
        "Dip reviews: inspector against QA lead, per question (Cohen's kappa)",
        ["question", "section", "text", "compared", "agreed", "agreement %", "kappa", "kappa note", "flagged"],
    )
    for row in tables.questions:
        r = row.result
        sheet.append(
            [
                row.question.code,
                row.question.section_code,
                row.question.text,
                r.n,
                r.agreed,
                _round(r.percent, 1),
                _round(row.kappa, 3),
                row.kappa_note,
                _yes(row.flagged),
            ]
        )
    sheet = _sheet(
        workbook,
        "dip by inspector",
        "Dip reviews per inspector (pooled kappa over choice questions, De Vries et al. 2008)",
        ["inspector", "name", "reviews", "compared", "disagreements", "agreement %", "disagreement %", "pooled kappa"],
    )
    for row in [*tables.inspectors, tables.overall]:
        sheet.append(
            [
                row.key,
                row.label,
                row.reviews,
                row.compared,
                row.disagreements,
                _round(row.percent, 1),
                _round(row.disagreement_rate, 1),
                _round(row.kappa, 3),
            ]
        )
    sheet = _sheet(
        workbook,
        "dip by section",
        "Dip reviews per section of the question set",
        ["section", "title", "compared", "disagreements", "agreement %", "disagreement %"],
    )
    for row in tables.sections:
        sheet.append(
            [
                row.key,
                row.label,
                row.compared,
                row.disagreements,
                _round(row.percent, 1),
                _round(row.disagreement_rate, 1),
            ]
        )


def write_exercise(workbook: Workbook, tables: ExerciseTables, number: int) -> None:
    exercise = tables.exercise
    sheet = _sheet(
        workbook,
        f"exercise {number} questions",
        f"{exercise.name} ({exercise.get_kind_display()}): agreement per question",
        [
            "question",
            "section",
            "text",
            "files",
            "answers",
            "agreement %",
            "files all agreeing",
            "Fleiss kappa",
            "Fleiss note",
            "Krippendorff alpha",
            "alpha note",
            "flagged",
        ],
    )
    for row in tables.questions:
        r = row.result
        coefficients = row.coefficients_apply
        sheet.append(
            [
                row.question.code,
                row.question.section_code,
                row.question.text,
                r.units,
                r.ratings,
                _round(r.percent, 1),
                r.all_agree,
                _round(r.fleiss, 3) if coefficients else None,
                r.fleiss_note if coefficients else "not for numbers or dates",
                _round(r.alpha, 3) if coefficients else None,
                r.alpha_note if coefficients else "not for numbers or dates",
                _yes(row.flagged),
            ]
        )
    sheet = _sheet(
        workbook,
        f"exercise {number} answers",
        f"{exercise.name}: who answered what, per file",
        ["urn", "area", "question", "participant", "answer", "answer label", "differs from most common"],
    )
    for grid in tables.grids:
        for row in grid.rows:
            for (_, name), cell in zip(tables.participants, row.cells, strict=True):
                if cell.value:
                    sheet.append(
                        [grid.urn, grid.area, row.question.code, name, cell.value, cell.label, _yes(cell.differs)]
                    )


def agreement_workbook(inspection: Inspection, dip: DipTables, exercises: list[ExerciseTables]) -> Workbook:
    workbook = Workbook()
    contents = workbook.active
    contents.title = "contents"
    contents.append([settings.PROTECTIVE_MARKING])
    contents.append([f"{inspection.name}: agreement statistics"])
    contents["A1"].font = contents["A2"].font = BOLD
    for line in [
        f"Generated {timezone.localtime():%d %B %Y %H:%M}.",
        "Dip reviews: completed reviews only; the QA lead's answer is the inspector's where they agreed.",
        "Consistency exercises: submitted examinations only; they never count in the report's results.",
        "'Not applicable' is a category like any other; a question a rater was not asked is left out.",
        "Where every answer was the same, kappa and alpha cannot be computed: agreement is 100% and the question "
        "is not flagged.",
        f"Flagged for clearer guidance: kappa or alpha below {KAPPA_THRESHOLD}, or agreement below "
        f"{AGREEMENT_THRESHOLD:g}% (numbers and dates: agreement only).",
        "Computed with statsmodels (Cohen's and Fleiss' kappa) and krippendorff (alpha, nominal).",
    ]:
        contents.append([line])
    write_dip(workbook, dip)
    for number, tables in enumerate(exercises, start=1):
        write_exercise(workbook, tables, number)
    mark_printed_pages(contents)
    contents.append([])
    contents.append(["Sheets"])
    contents.cell(contents.max_row, 1).font = BOLD
    for sheet in workbook.worksheets[1:]:
        contents.append([sheet.title, sheet["A2"].value])
        link_to_sheet(contents.cell(contents.max_row, 1), sheet.title)
        fit_columns(sheet, skip_rows=2)
    contents.column_dimensions["A"].width = 24
    contents.column_dimensions["B"].width = 70
    make_workbook_safe(workbook)
    return workbook
