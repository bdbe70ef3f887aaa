"""Reading a sample frame (CSV or XLSX, SPEC columns) into validated rows. No database.

A frame with any bad row is refused whole: `FrameInvalid.errors` names every bad row by
line number (the header is line 1) and column.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

COLUMNS = ("urn", "area", "category", "outcome", "court", "domestic_abuse", "vrr", "decision_date")
CATEGORIES = {"stalking", "harassment", "breach_of_order", "controlling_coercive"}
OUTCOMES = {"charged", "nfa"}
COURTS = {"magistrates", "crown"}
YES_NO = {"yes", "no"}


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
    category: str
    outcome: str
    court: str
    domestic_abuse: bool
    vrr: bool
    decision_date: datetime.date

    @property
    def attributes(self) -> dict[str, str]:
        return {
            "category": self.category,
            "outcome": self.outcome,
            "court": self.court,
            "domestic_abuse": "yes" if self.domestic_abuse else "no",
            "vrr": "yes" if self.vrr else "no",
        }


def normalise_area_name(name: str) -> str:
    """'CPS Mersey-Cheshire', 'mersey cheshire', 'Yorkshire & Humberside' → comparable keys."""
    text = name.strip().lower().replace("&", " and ")
    text = re.sub(r"^cps[\s\-–_]+", "", text)
    return re.sub(r"[\s\-–_]+", " ", text).strip()


SUFFIXES = (".csv", ".xlsx")
URN_MAX = 40  # CaseFile.urn and FrameCase.urn
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def read_table(filename: str, content: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) from CSV or XLSX bytes; the header must hold SPEC's columns.

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
    errors = [FrameError(header_line, c, "column is missing from the header row") for c in COLUMNS if c not in header]
    errors += [
        FrameError(header_line, c, "column appears more than once in the header row")
        for c in COLUMNS
        if header.count(c) > 1
    ]
    if errors:
        raise FrameInvalid(errors)
    index = {c: header.index(c) for c in COLUMNS}
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


def _iso_date(text: str) -> datetime.date | None:
    # date.fromisoformat alone also takes 20240131 and week dates; SPEC asks for YYYY-MM-DD.
    if not ISO_DATE.match(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def parse_frame(filename: str, content: bytes, areas: dict[str, int]) -> list[FrameRow]:
    """Validate every row; return them all, or raise FrameInvalid naming every bad one.

    areas maps normalise_area_name(name) → Area id.
    """
    errors: list[FrameError] = []
    rows: list[FrameRow] = []
    seen: dict[str, int] = {}

    def bad(line: int, column: str, message: str) -> None:
        errors.append(FrameError(line, column, message))

    for line, row in read_table(filename, content):
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
        category, outcome, court = row["category"].lower(), row["outcome"].lower(), row["court"].lower()
        if category not in CATEGORIES:
            bad(line, "category", f"'{row['category']}' is not one of {', '.join(sorted(CATEGORIES))}")
        if outcome not in OUTCOMES:
            bad(line, "outcome", f"'{row['outcome']}' is not charged or nfa")
        if outcome == "charged" and not court:
            bad(line, "court", "is empty: a charged case needs magistrates or crown")
        elif outcome == "charged" and court not in COURTS:
            bad(line, "court", f"'{row['court']}' is not magistrates or crown")
        if outcome == "nfa" and court:
            bad(line, "court", f"must be empty when the outcome is nfa, not '{row['court']}'")
        da, vrr = row["domestic_abuse"].lower(), row["vrr"].lower()
        if da not in YES_NO:
            bad(line, "domestic_abuse", f"'{row['domestic_abuse']}' is not yes or no")
        if vrr not in YES_NO:
            bad(line, "vrr", f"'{row['vrr']}' is not yes or no")
        decided = _iso_date(row["decision_date"])
        if decided is None:
            bad(line, "decision_date", f"'{row['decision_date']}' is not a date written YYYY-MM-DD")
        if len(errors) == before:
            rows.append(FrameRow(line, urn, area_id, category, outcome, court, da == "yes", vrr == "yes", decided))
    if errors:
        raise FrameInvalid(errors)
    if not rows:
        raise FrameInvalid([FrameError(0, "file", "has no rows")])
    return rows
