"""SPEC's export_sample CSV, shared by the command and the sample page's download."""

from collections.abc import Iterable
from typing import TextIO

from django.db.models import F, QuerySet

from casefiles.models import CaseFile, Inspection
from casefiles.spreadsheet_safety import safe_csv_writer

SAMPLE_COLUMNS = [
    "urn",
    "area",
    "category",
    "outcome",
    "court",
    "domestic_abuse",
    "vrr",
    "stratum",
    "role",
    "dip",
    "inspector",
]


def sample_files(inspection: Inspection) -> QuerySet[CaseFile]:
    """The sample then the reserves (by rank), each by Area and stratum. Files made
    unavailable are left out: they are neither in the sample nor a reserve any more."""
    return (
        CaseFile.objects.filter(inspection=inspection, unavailable_reason="")
        .select_related("area", "assigned_to")
        .order_by("-role", "area__name", "stratum", F("reserve_rank").asc(nulls_first=True), "urn")
    )


def sample_row(f: CaseFile) -> list[str]:
    return [
        f.urn,
        f.area.name,
        f.category,
        f.outcome,
        f.court,
        "yes" if f.domestic_abuse else "no",
        "yes" if f.vrr else "no",
        f.stratum,
        f.role,
        "yes" if f.in_dip else "no",
        f.assigned_to.username if f.assigned_to else "",
    ]


def write_sample_csv(files: Iterable[CaseFile], out: TextIO) -> int:
    writer = safe_csv_writer(out, lineterminator="\n")
    writer.writerow(SAMPLE_COLUMNS)
    count = 0
    for f in files:
        writer.writerow(sample_row(f))
        count += 1
    return count
