"""Cells that a spreadsheet would run as a formula ("CSV injection"), made inert.

Every CSV and XLSX the app writes passes its text through `safe_cell`: a value starting
with = + - @, a tab or a carriage return is written with a leading apostrophe, as OWASP
advises, so Excel or LibreOffice shows it as text instead of evaluating it. Plain
numbers (-3, +4.5) are left alone: they are data, not formulas. `unsafe_cell` undoes it
for a reader of our own exports.

This module sits at the bottom of the app layers (no model imports) so any app may use it.
"""

import csv
import re
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def safe_cell(value: Any) -> Any:
    """The value, or, for text a spreadsheet would evaluate, that text after an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def unsafe_cell(value: str) -> str:
    """The text as it was before safe_cell (for importing our own exports)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_START) and not PLAIN_NUMBER.match(value[1:]):
        return value[1:]
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


class SafeCsvWriter:
    """csv.writer whose every cell goes through safe_cell."""

    def __init__(self, out: TextIO, **options: Any):
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def safe_csv_writer(out: TextIO, **options: Any) -> SafeCsvWriter:
    return SafeCsvWriter(out, **options)


def make_workbook_safe(workbook: Any) -> int:
    """Neutralise, in place, every cell of every sheet that a spreadsheet would evaluate
    (openpyxl itself stores a string starting with '=' as a formula). Returns the count.

    The app's workbooks hold no intended formula, so a formula cell can only be data."""
    changed = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                escaped = safe_cell(cell.value)
                if escaped is not cell.value:
                    cell.value = escaped  # openpyxl now stores it as text, not a formula
                    changed += 1
    return changed
