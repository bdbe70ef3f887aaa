"""SPEC's export_sample CSV, shared by the command and the sample page's download."""

from collections.abc import Iterable
from typing import TextIO

from django.db.models import F, QuerySet

from casefiles.models import CaseFile, Inspection
from casefiles.spreadsheet_safety import safe_csv_writer

SAMPLE_ROLE_COLUMNS = ["stratum", "role", "dip", "inspector"]


def sample_columns(inspection: Inspection) -> list[str]:
    """urn, area, the plan's attributes that the sample export carries, then stratum, role, dip, inspector."""
    codes = [a.code for a in inspection.case_attributes if "sample" in a.exports]
    return ["urn", "area", *codes, *SAMPLE_ROLE_COLUMNS]


def sample_files(inspection: Inspection) -> QuerySet[CaseFile]:
    """The sample then the reserves (by rank), each by Area and stratum. Files made
    unavailable are left out: they are neither in the sample nor a reserve any more."""
    return (
        CaseFile.objects.filter(inspection=inspection, unavailable_reason="")
        .select_related("area", "assigned_to")
        .order_by("-role", "area__name", "stratum", F("reserve_rank").asc(nulls_first=True), "urn")
    )


def sample_row(f: CaseFile, codes: list[str]) -> list[str]:
    return [
        f.urn,
        f.area.name,
        *(f.attributes.get(code, "") for code in codes),
        f.stratum,
        f.role,
        "yes" if f.in_dip else "no",
        f.assigned_to.username if f.assigned_to else "",
    ]


def write_sample_csv(inspection: Inspection, files: Iterable[CaseFile], out: TextIO) -> int:
    columns = sample_columns(inspection)
    codes = columns[2 : -len(SAMPLE_ROLE_COLUMNS)]
    writer = safe_csv_writer(out, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for f in files:
        writer.writerow(sample_row(f, codes))
        count += 1
    return count
