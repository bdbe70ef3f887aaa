"""Hostile frames: a far-away XLSX cell, a million bad rows, look-alike URNs — each refused
quickly, in bounded memory, with a bounded message, and nothing stored."""

import io
import re
import time
import tracemalloc
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from openpyxl import Workbook

from sampling import frame as frame_module
from sampling.demo import columns_of
from sampling.frame import ERRORS_KEPT, FrameInvalid, parse_frame
from sampling.models import Frame, FrameCase
from sampling.plan import DEFAULT_PLAN, load_plan_file
from sampling.services import area_lookup, frame_import
from tests.sampling.frames import csv_bytes

COLUMNS = columns_of(load_plan_file(DEFAULT_PLAN))  # the shipped plan's frame columns

GOOD_ROW = {
    "urn": "52WS0000101",
    "area": "Wessex",
    "category": "stalking",
    "outcome": "charged",
    "court": "crown",
    "domestic_abuse": "yes",
    "vrr": "no",
    "decision_date": "2025-02-14",
}


def good_rows(count: int = 3) -> list[dict]:
    return [{**GOOD_ROW, "urn": f"52WS{n:07d}"} for n in range(count)]


def workbook_bytes(rows: list[dict], far_cell: str | None = None, drop_dimension: bool = False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row[c] for c in COLUMNS])
    if far_cell:
        sheet[far_cell] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    if not drop_dimension:
        return buffer.getvalue()
    # The stated size is optional in a workbook: without it the reader must still bound itself.
    source, out = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension [^>]*/>", b"", data)
            target.writestr(info, data)
    return out.getvalue()


def refused(inspection, content: bytes, filename: str = "frame.csv") -> FrameInvalid:
    with pytest.raises(FrameInvalid) as error:
        frame_import(inspection=inspection, filename=filename, content=content)
    assert Frame.objects.count() == 0 and FrameCase.objects.count() == 0
    return error.value


def test_it_refuses_a_frame_with_a_cell_at_xfd1048576_within_seconds(inspection):
    content = workbook_bytes(good_rows(), far_cell="XFD1048576")
    assert len(content) < 10_000
    started = time.monotonic()
    error = refused(inspection, content, "frame.xlsx")
    assert time.monotonic() - started < 5
    assert "1,048,576" in str(error) and "at most 200,000 rows" in str(error)


def test_it_refuses_a_far_cell_quickly_even_when_the_sheet_hides_its_size(inspection):
    content = workbook_bytes(good_rows(), far_cell="XFD1048576", drop_dimension=True)
    started = time.monotonic()
    error = refused(inspection, content, "frame.xlsx")
    assert time.monotonic() - started < 10
    assert "more than 200,000 rows" in str(error)


def test_it_reads_only_as_wide_as_the_header(inspection):
    # A stray cell far to the right of a data row is outside the frame: the rows still import.
    content = workbook_bytes(good_rows(), far_cell="XFD3", drop_dimension=True)
    frame = frame_import(inspection=inspection, filename="frame.xlsx", content=content)
    assert frame.row_count == 3


def test_it_refuses_a_header_beyond_the_hundredth_column(inspection):
    workbook = Workbook()
    workbook.active.cell(1, 500, "urn")
    buffer = io.BytesIO()
    workbook.save(buffer)
    error = refused(inspection, buffer.getvalue(), "frame.xlsx")
    assert "header row (within the first 100 columns)" in str(error)


def test_it_names_the_first_hundred_errors_of_a_huge_bad_frame_and_counts_the_rest(inspection, settings):
    content = ("urn,area,category,outcome,court,domestic_abuse,vrr,decision_date\n" + "x\n" * 20_000).encode()
    tracemalloc.start()
    try:
        with pytest.raises(FrameInvalid) as error:
            parse_frame("frame.csv", content, area_lookup(), load_plan_file(DEFAULT_PLAN).attributes)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    refusal = error.value
    assert len(refusal.errors) == ERRORS_KEPT
    assert refusal.bad_line_count == 20_000
    assert refusal.total > 20_000 * 5
    assert str(refusal).endswith(f"; and {refusal.total - ERRORS_KEPT:,} more")
    assert len(str(refusal)) < 20_000
    assert peak < 20 * 1024 * 1024


def test_it_quotes_only_the_start_of_a_huge_cell(inspection):
    content = csv_bytes([{**GOOD_ROW, "area": "A" * 100_000}])
    error = refused(inspection, content)
    assert len(error.errors[0].message) <= frame_module.MESSAGE_MAX


def test_the_command_prints_one_bounded_line_for_twenty_thousand_bad_rows(inspection, tmp_path):
    path = tmp_path / "frame.csv"
    path.write_text("urn,area,category,outcome,court,domestic_abuse,vrr,decision_date\n" + "x\n" * 20_000)
    with pytest.raises(CommandError) as error:
        call_command("import_frame", str(path), "--inspection", inspection.slug)
    message = str(error.value)
    assert "\n" not in message and len(message) < 20_000
    assert "on 20,000 row(s)" in message and message.endswith("more")


def test_it_refuses_more_rows_than_a_frame_may_have(inspection, settings):
    settings.FRAME_MAX_ROWS = 5
    error = refused(inspection, csv_bytes(good_rows(6)))
    assert "more than 5 rows" in str(error)
    assert frame_import(inspection=inspection, filename="frame.csv", content=csv_bytes(good_rows(5))).row_count == 5


@pytest.mark.django_db(transaction=True)
def test_it_parses_the_frame_before_opening_the_transaction(inspection, monkeypatch):
    seen = []
    real = frame_module.parse_frame

    def watching(*args, **kwargs):
        seen.append(connection.in_atomic_block)
        return real(*args, **kwargs)

    monkeypatch.setattr("sampling.services.parse_frame", watching)
    frame_import(inspection=inspection, filename="frame.csv", content=csv_bytes(good_rows()))
    assert seen == [False]


@pytest.mark.parametrize(
    "urn,problem",
    [
        ("52WS\r\n0001", "cannot be printed"),
        ("52WS\u202e1000", "RIGHT-TO-LEFT OVERRIDE"),
        ("52WS\u200b1000", "ZERO WIDTH SPACE"),
        ("52WS\t1000", "cannot be printed"),
        ("=HYPERLINK(1)", "may not start with '='"),
        ("@SUM(1)", "may not start with '@'"),
        ("52/WS/1000", "may not contain '/'"),
    ],
)
def test_it_refuses_urns_that_are_not_printable(inspection, urn, problem):
    error = refused(inspection, csv_bytes([{**GOOD_ROW, "urn": urn}]))
    assert [e.column for e in error.errors] == ["urn"]
    assert problem in error.errors[0].message


def test_it_accepts_urns_of_letters_digits_spaces_and_punctuation(inspection):
    rows = [{**GOOD_ROW, "urn": urn} for urn in ("52WS0000101", "52 WS 101-2 (a)", "Öst.123_4")]
    assert frame_import(inspection=inspection, filename="frame.csv", content=csv_bytes(rows)).row_count == 3
