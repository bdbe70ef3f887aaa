import csv
from typing import TextIO

from casefiles.models import CaseFile, Inspection

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


def write_sample_csv(inspection: Inspection, out: TextIO) -> int:
    """SPEC's export_sample: sampled files and reserves (files made unavailable are left out)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SAMPLE_COLUMNS)
    files = (
        CaseFile.objects.filter(inspection=inspection, unavailable_reason="")
        .select_related("area", "assigned_to")
        .order_by("role", "area__name", "stratum", "reserve_rank", "urn")
    )
    count = 0
    for f in files:
        writer.writerow(
            [
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
        )
        count += 1
    return count
