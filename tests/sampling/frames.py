"""Frames the tests generate: good ones, short strata, bad rows; as CSV or XLSX bytes."""

import io

from openpyxl import Workbook

from casefiles.areas import CPS_AREAS
from sampling.demo import frame_csv, generate_frame_rows
from sampling.frame import normalise_area_name
from sampling.plan import DEFAULT_PLAN, load_plan_file
from sampling.services import frame_import

# SPEC's stalking frame columns.
COLUMNS = ("urn", "area", "category", "outcome", "court", "domestic_abuse", "vrr", "decision_date")


def make_rows(seed: int = 7, per_stratum: int | None = None) -> list[dict]:
    """A good frame for the stalking plan: every Area × stratum over-supplied (quota × 2 + 4
    by default), DA and non-DA in each, plus controlling-or-coercive cases and VRR NFA cases."""
    return generate_frame_rows(load_plan_file(DEFAULT_PLAN), list(CPS_AREAS), seed=seed, per_stratum=per_stratum)


def in_cell(row: dict, area: str, category: str, outcome: str, court: str = "") -> bool:
    return normalise_area_name(row["area"]) == normalise_area_name(area) and (
        row["category"],
        row["outcome"],
        row["court"],
    ) == (category, outcome, court)


def keep_only(rows: list[dict], count: int, area: str, category: str, outcome: str, court: str = "") -> list[dict]:
    """The rows with the given cell cut down to `count` candidates (a short stratum)."""
    kept, seen = [], 0
    for row in rows:
        if in_cell(row, area, category, outcome, court):
            seen += 1
            if seen > count:
                continue
        kept.append(row)
    return kept


def csv_bytes(rows: list[dict]) -> bytes:
    return frame_csv(rows)


def xlsx_bytes(rows: list[dict], header: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or list(COLUMNS))
    for row in rows:
        sheet.append([row.get(c, "") for c in (header or COLUMNS)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_rows(inspection, rows: list[dict], user=None, filename: str = "frame.csv"):
    return frame_import(inspection=inspection, filename=filename, content=csv_bytes(rows), user=user)
