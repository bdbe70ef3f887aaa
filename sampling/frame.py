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
import unicodedata
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


ERRORS_KEPT = 100  # a frame can have a million bad rows: the first hundred are named, the rest counted
MESSAGE_MAX = 200  # a cell can hold 100,000 characters; an error quotes the start of it


class FrameErrors:
    """The errors of one frame: the first ERRORS_KEPT kept, every one counted (so that a
    million bad rows cost a counter, not gigabytes). Errors arrive in line order."""

    def __init__(self) -> None:
        self.kept: list[FrameError] = []
        self.total = 0
        self.bad_line_count = 0
        self._last_line: int | None = None

    def append(self, error: FrameError) -> None:
        self.total += 1
        if error.line != self._last_line:
            self.bad_line_count += 1
            self._last_line = error.line
        if len(self.kept) < ERRORS_KEPT:
            message = error.message
            if len(message) > MESSAGE_MAX:
                message = message[: MESSAGE_MAX - 1] + "…"
            self.kept.append(FrameError(error.line, error.column, message))

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return self.total > 0


class FrameInvalid(ValueError):
    """`errors`: the first ERRORS_KEPT errors; `total` and `bad_line_count` count them all."""

    def __init__(self, errors: "list[FrameError] | FrameErrors"):
        if not isinstance(errors, FrameErrors):
            collected = FrameErrors()
            for error in errors:
                collected.append(error)
            errors = collected
        self.errors = errors.kept
        self.total = errors.total
        self.bad_line_count = errors.bad_line_count
        self.bad_lines = sorted({e.line for e in self.errors})
        more = self.total - len(self.errors)
        super().__init__("; ".join(str(e) for e in self.errors) + (f"; and {more:,} more" if more else ""))


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
# Bounds that refuse an absurd file quickly rather than read it for minutes (FRAME_MAX_ROWS in settings).
MAX_COLUMNS = 100  # the header's columns must lie within the first hundred
MAX_XLSX_UNCOMPRESSED = 400 * 1024 * 1024  # a 100,000-row frame's sheet is about 25 MB unzipped


def max_lines() -> int:
    from django.conf import settings

    return getattr(settings, "FRAME_MAX_ROWS", 200_000) + 1  # + the header
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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
        empty = f"is empty: it needs a header row (within the first {MAX_COLUMNS} columns) and a row per case"
        raise FrameInvalid([FrameError(0, "file", empty)])
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
    width = max(index.values()) + 1
    for line, raw in rows:
        cells = [_cell_text(v) for v in raw[:width]]
        if not any(cells):
            continue
        yield line, {c: (cells[i] if i < len(cells) else "") for c, i in index.items()}


URN_PUNCTUATION_REFUSED = "/\\"  # a URN is a path segment of its pages' addresses
URN_MAY_NOT_START = ("=", "+", "-", "@")  # a spreadsheet would read it as a formula


def urn_problem(urn: str) -> str | None:
    """Why a URN cannot be used, or None. Only printable characters: letters, digits,
    punctuation, symbols and plain spaces — no line breaks, tabs, right-to-left overrides
    or zero-width characters, which would make two URNs look alike or break a CSV."""
    for char in urn:
        kind = unicodedata.category(char)
        if char in URN_PUNCTUATION_REFUSED:
            return f"may not contain '{char}'"
        if not (kind[0] in "LNPS" or char == " "):
            return f"contains a character that cannot be printed ({unicodedata.name(char, f'U+{ord(char):04X}')})"
    if urn.startswith(URN_MAY_NOT_START):
        return f"may not start with '{urn[0]}'"
    return None


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
    start, limit = 1, max_lines()
    try:
        for row in reader:
            if start > limit:
                raise _too_many_rows()
            yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        raise FrameInvalid([FrameError(start, "file", f"is not readable CSV here ({exc})")]) from exc


def _too_many_rows() -> FrameInvalid:
    return FrameInvalid([FrameError(0, "file", f"has more than {max_lines() - 1:,} rows, the most a frame may have")])


def _xlsx_unzipped_size(content: bytes) -> int:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FrameInvalid([FrameError(0, "file", "is not a readable Excel (.xlsx) workbook")]) from exc


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, tuple]]:
    """Rows of the first sheet, read in bounded time: the header is looked for within the
    first MAX_COLUMNS columns, and every later row is read only as wide as the header (a
    cell at XFD1048576 must not make each row 16,384 cells long); more rows than a frame
    may have are refused, from the sheet's stated size when it has one."""
    from openpyxl import load_workbook

    if _xlsx_unzipped_size(content) > MAX_XLSX_UNCOMPRESSED:
        raise FrameInvalid([FrameError(0, "file", "is too large once unzipped to be a sample frame")])
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise FrameInvalid([FrameError(0, "file", "is not a readable Excel (.xlsx) workbook")]) from exc
    try:
        limit = max_lines()
        stated_rows = sheet.max_row if isinstance(sheet.max_row, int) else 0
        if stated_rows > limit:
            raise FrameInvalid(
                [
                    FrameError(
                        0,
                        "file",
                        f"has a cell in row {stated_rows:,}; a frame may have at most {limit - 1:,} rows "
                        "(delete anything below the last case, even formatting)",
                    )
                ]
            )
        sheet.reset_dimensions()  # the stated size may lie: pad nothing to it
        header_line, width = 0, 0
        # min_row=1: rows are numbered as the spreadsheet numbers them, gaps included.
        for line, row in enumerate(sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True), start=1):
            if line > limit:
                raise _too_many_rows()
            filled = [i for i, value in enumerate(row) if _cell_text(value)]
            if filled:
                header_line, width = line, filled[-1] + 1
                yield line, row[:width]
                break
        if not header_line:
            return
        rows = sheet.iter_rows(min_row=header_line + 1, max_col=width, values_only=True)
        for line, row in enumerate(rows, start=header_line + 1):
            if line > limit:
                raise _too_many_rows()
            yield line, row
    finally:
        workbook.close()


def parse_frame(
    filename: str, content: bytes, areas: dict[str, int], attributes: Sequence[Attribute]
) -> list[FrameRow]:
    """Validate every row against the plan's attributes; return them all, or raise
    FrameInvalid naming every bad one. areas maps normalise_area_name(name) → Area id.
    """
    errors = FrameErrors()
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
        elif problem := urn_problem(urn):
            bad(line, "urn", problem)
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
