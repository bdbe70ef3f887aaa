"""Reading a sample frame (CSV or XLSX, SPEC columns) into validated rows. No database.

A frame with any bad row is refused whole: `FrameInvalid.errors` names every bad row by
line number (the header is line 1) and column.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator
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
        super().__init__("; ".join(str(e) for e in errors[:10]))


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
    text = re.sub(r"^cps\s+", "", text)
    return re.sub(r"[\s\-–_]+", " ", text).strip()


def read_table(filename: str, content: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) from CSV or XLSX bytes; the header must hold SPEC's columns."""
    if filename.lower().endswith(".xlsx"):
        rows = _xlsx_rows(content)
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FrameInvalid([FrameError(0, "file", "is not UTF-8 text (save the CSV as UTF-8)")]) from exc
        rows = csv.reader(io.StringIO(text, newline=""))
    rows = iter(rows)
    header = [(h or "").strip().lower() for h in next(rows, [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise FrameInvalid([FrameError(1, "header", f"missing column(s): {', '.join(missing)}")])
    index = {c: header.index(c) for c in COLUMNS}
    for line, raw in enumerate(rows, start=2):
        cells = ["" if v is None else str(v).strip() for v in raw]
        if not any(cells):
            continue
        yield line, {c: (cells[i] if i < len(cells) else "") for c, i in index.items()}


def _xlsx_rows(content: bytes) -> Iterable[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise FrameInvalid([FrameError(0, "file", "is not a readable XLSX workbook")]) from exc
    for row in workbook.worksheets[0].iter_rows(values_only=True):
        yield [v.date().isoformat() if isinstance(v, datetime.datetime) else v for v in row]


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
        elif urn in seen:
            bad(line, "urn", f"'{urn}' is already on line {seen[urn]}")
        else:
            seen[urn] = line
        area_id = areas.get(normalise_area_name(row["area"]))
        if area_id is None:
            bad(line, "area", f"'{row['area']}' is not one of the CPS Areas")
        category, outcome, court = row["category"].lower(), row["outcome"].lower(), row["court"].lower()
        if category not in CATEGORIES:
            bad(line, "category", f"'{row['category']}' is not one of {', '.join(sorted(CATEGORIES))}")
        if outcome not in OUTCOMES:
            bad(line, "outcome", f"'{row['outcome']}' is not charged or nfa")
        if outcome == "charged" and court not in COURTS:
            bad(line, "court", f"'{row['court']}' is not magistrates or crown (needed when charged)")
        if outcome == "nfa" and court:
            bad(line, "court", f"must be empty when the outcome is nfa, not '{row['court']}'")
        da, vrr = row["domestic_abuse"].lower(), row["vrr"].lower()
        if da not in YES_NO:
            bad(line, "domestic_abuse", f"'{row['domestic_abuse']}' is not yes or no")
        if vrr not in YES_NO:
            bad(line, "vrr", f"'{row['vrr']}' is not yes or no")
        try:
            decided = datetime.date.fromisoformat(row["decision_date"])
        except ValueError:
            bad(line, "decision_date", f"'{row['decision_date']}' is not a date YYYY-MM-DD")
            decided = None
        if len(errors) == before:
            rows.append(FrameRow(line, urn, area_id, category, outcome, court, da == "yes", vrr == "yes", decided))
    if errors:
        raise FrameInvalid(errors)
    if not rows:
        raise FrameInvalid([FrameError(0, "file", "has no rows")])
    return rows
