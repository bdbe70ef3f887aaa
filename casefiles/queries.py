"""Reusable reads for pages: a constant number of queries whatever the number of files."""

from dataclasses import dataclass

from django.core.management.base import CommandError
from django.db.models import Count, Q

from .models import CaseFile, Examination, Inspection


@dataclass
class QueueRow:
    case_file: CaseFile
    status: str  # not_started, in_progress, submitted, returned
    answered: int
    returned_reason: str

    @property
    def next_step(self) -> str:
        return {
            "not_started": "Start the examination",
            "in_progress": "Carry on answering, then submit",
            "returned": "Make the changes asked for, then submit again",
            "submitted": "Nothing to do: submitted",
        }[self.status]


STATUS_ORDER = {"returned": 0, "in_progress": 1, "not_started": 2, "submitted": 3}


def queue_rows(inspection: Inspection, inspector) -> list[QueueRow]:
    files = (
        CaseFile.objects.assigned_to(inspector)
        .filter(inspection=inspection)
        .select_related("area", "inspection")
        .order_by("area__name", "urn")
    )
    examinations = {
        e.case_file_id: e
        for e in Examination.objects.primary()
        .filter(case_file__in=files)
        .annotate(answered=Count("answers", filter=~Q(answers__value="")))
    }
    rows = []
    for f in files:
        e = examinations.get(f.pk)
        if e is None or (e.status == Examination.Status.IN_PROGRESS and not e.answered):
            status = "not_started"
        else:
            status = e.status
        rows.append(QueueRow(f, status, e.answered if e else 0, e.returned_reason if e else ""))
    rows.sort(key=lambda r: STATUS_ORDER[r.status])
    return rows


def inspection_by_slug(slug: str) -> Inspection:
    """The inspection a management command names, or the command's one-line refusal."""
    try:
        return Inspection.objects.get(slug=slug)
    except Inspection.DoesNotExist:
        raise CommandError(f"no inspection '{slug}'") from None
