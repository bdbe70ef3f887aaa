"""Formatting shared by every XLSX the app writes (report tables, agreement statistics): the
protective marking on each sheet and printed page, whole-word sheet names, a contents sheet
whose entries link to their sheets, frozen header rows and column widths."""

import re

from django.conf import settings
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

SHEET_NAME_LIMIT = 31  # Excel's limit
UNSAFE = re.compile(r"[\[\]:*?/\\]")


def sheet_name(text: str, used: set[str]) -> str:
    """A sheet name from text: Excel's forbidden characters removed, cut at a word boundary to
    fit 31 characters (never mid-word), and unique among `used` (case-insensitively; added)."""
    words = UNSAFE.sub(" ", text).split()
    name = ""
    for word in words:
        candidate = f"{name} {word}".strip()
        if len(candidate) > SHEET_NAME_LIMIT:
            break
        name = candidate
    name = name or (words[0][:SHEET_NAME_LIMIT] if words else "sheet")
    candidate, number = name, 2
    while candidate.lower() in used:
        suffix = f" {number}"
        base = name
        while len(base) + len(suffix) > SHEET_NAME_LIMIT and " " in base:
            base = base.rsplit(" ", 1)[0]
        candidate = f"{base[: SHEET_NAME_LIMIT - len(suffix)]}{suffix}"
        number += 1
    used.add(candidate.lower())
    return candidate


def mark_printed_pages(sheet: Worksheet, marking: str | None = None) -> None:
    """The protective marking at the top and bottom of every printed page, with page numbers."""
    marking = marking or settings.PROTECTIVE_MARKING
    for header_footer in (sheet.oddHeader, sheet.evenHeader, sheet.firstHeader):
        header_footer.center.text = marking
        header_footer.center.bold = True
    for header_footer in (sheet.oddFooter, sheet.evenFooter, sheet.firstFooter):
        header_footer.center.text = marking
        header_footer.right.text = "Page &P of &N"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4


def link_to_sheet(cell, sheet_title: str) -> None:
    """Make the cell a link to the first cell of the sheet named sheet_title."""
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{sheet_title}'!A1", display=str(cell.value))
    cell.style = "Hyperlink"


def freeze_below(sheet: Worksheet, row: int) -> None:
    """Keep rows 1..row in view when scrolling."""
    sheet.freeze_panes = f"A{row + 1}"


def fit_columns(sheet: Worksheet, minimum: int = 8, maximum: int = 60, skip_rows: int = 0) -> None:
    """Column widths from their longest value (rows after skip_rows), within [minimum, maximum]."""
    widths: dict[str, int] = {}
    for row in sheet.iter_rows(min_row=skip_rows + 1):
        for cell in row:
            if cell.value is not None:
                widths[cell.column_letter] = max(widths.get(cell.column_letter, 0), len(str(cell.value)))
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = max(minimum, min(maximum, width + 2))
