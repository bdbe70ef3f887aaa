"""Reading a sample frame (CSV or XLSX) into validated rows. No database.

The columns are `urn`, `area` and the case attributes the inspection's plan declares (see
casefiles.attributes), each value checked against its declaration. A frame with any bad
row is refused whole: `FrameInvalid.errors` names every bad row by line number (the header
is line 1) and column.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from casefiles.attributes import FILTERABLE, Attribute

BUILT_IN = ("urn", "area")


@dataclass(frozen=True)
class FrameError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.column}: {self.message}" if self.line else f"{self.column}: {self.message}"


class FrameInvalid(ValueError):
    def __init__(self, errors: list[FrameError]):
        self.errors = errors
        self.bad_lines = sorted({e.line for e in errors})
        super().__init__("; ".join(str(e) for e in errors))


@dataclass(frozen=True)
class FrameRow:
    line: int
    urn: str
    area_id: int
    attributes: dict[str, str]  # attribute code → value as stored (see casefiles.attributes)


def frame_columns(attributes: Sequence[Attribute]) -> tuple[str, ...]:
    return BUILT_IN + tuple(a.code for a in attributes)


def normalise_area_name(name: str) -> str:
    """'CPS Mersey-Cheshire', 'mersey cheshire', 'Yorkshire & Humberside' → comparable keys."""
    text = name.strip().lower().replace("&", " and ")
    text = re.sub(r"^cps[\s\-–_]+", "", text)
    return re.sub(r"[\s\-–_]+", " ", text).strip()


SUFFIXES = (".csv", ".xlsx")
URN_MAX = 40  # CaseFile.urn and FrameCase.urn


def read_table(
    filename: str, content: bytes, columns: Sequence[str] = BUILT_IN
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) from CSV or XLSX bytes; the header must hold `columns`.

    Line numbers are those a person sees: the CSV's physical line where the row starts,
    or the spreadsheet's row number. Blank rows are skipped.
    """
    name = filename.lower()
    if not name.endswith(SUFFIXES):
        raise FrameInvalid([FrameError(0, "file", "must be a CSV (.csv) or Excel (.xlsx) file")])
    rows = _xlsx_rows(content) if name.endswith(".xlsx") else _csv_rows(content)
    # Leading blank rows are skipped: the header is the first row with anything in it.
    first = next((r for r in rows if any(_cell_text(v) for v in r[1])), None)
    if first is None:
        raise FrameInvalid([FrameError(0, "file", "is empty: it needs a header row and a row per case")])
    header_line, raw_header = first
    header = [("" if h is None else str(h)).strip().lower() for h in raw_header]
    errors = [FrameError(header_line, c, "column is missing from the header row") for c in columns if c not in header]
    errors += [
        FrameError(header_line, c, "column appears more than once in the header row")
        for c in columns
        if header.count(c) > 1
    ]
    if errors:
        raise FrameInvalid(errors)
    index = {c: header.index(c) for c in columns}
    for line, raw in rows:
        cells = [_cell_text(v) for v in raw]
        if not any(cells):
            continue
        yield line, {c: (cells[i] if i < len(cells) else "") for c, i in index.items()}


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a URN typed as a number in Excel
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FrameInvalid([FrameError(0, "file", "is not UTF-8 text (save the CSV as UTF-8)")]) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for row in reader:
            yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        raise FrameInvalid([FrameError(start, "file", f"is not readable CSV here ({exc})")]) from exc


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, tuple]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise FrameInvalid([FrameError(0, "file", "is not a readable Excel (.xlsx) workbook")]) from exc
    try:
        # min_row=1: rows are numbered as the spreadsheet numbers them, gaps included.
        yield from enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)
    finally:
        workbook.close()


def parse_frame(
    filename: str, content: bytes, areas: dict[str, int], attributes: Sequence[Attribute]
) -> list[FrameRow]:
    """Validate every row against the plan's attributes; return them all, or raise
    FrameInvalid naming every bad one. areas maps normalise_area_name(name) → Area id.
    """
    errors: list[FrameError] = []
    rows: list[FrameRow] = []
    seen: dict[str, int] = {}

    def bad(line: int, column: str, message: str) -> None:
        errors.append(FrameError(line, column, message))

    for line, row in read_table(filename, content, frame_columns(attributes)):
        before = len(errors)
        urn = row["urn"]
        if not urn:
            bad(line, "urn", "is empty")
        elif len(urn) > URN_MAX:
            bad(line, "urn", f"'{urn[:URN_MAX]}…' is longer than {URN_MAX} characters")
        elif urn in seen:
            bad(line, "urn", f"'{urn}' is already on line {seen[urn]}")
        else:
            seen[urn] = line
        area_id = areas.get(normalise_area_name(row["area"]))
        if area_id is None:
            bad(line, "area", f"'{row['area']}' is not one of the 14 CPS Areas")
        # Conditions (court empty when outcome is nfa) read the other cells as the plan compares them.
        given = {a.code: row[a.code].strip().lower() if a.type in FILTERABLE else row[a.code] for a in attributes}
        values = {}
        for attribute in attributes:
            values[attribute.code], problem = attribute.clean(row[attribute.code], given)
            if problem:
                bad(line, attribute.code, problem)
        if len(errors) == before:
            rows.append(FrameRow(line, urn, area_id, values))
    if errors:
        raise FrameInvalid(errors)
    if not rows:
        raise FrameInvalid([FrameError(0, "file", "has no rows")])
    return rows
