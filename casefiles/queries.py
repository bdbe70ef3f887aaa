"""Reusable reads for pages: a constant number of queries whatever the number of files."""

from dataclasses import dataclass

from django.core.management.base import CommandError

from questionset.models import Question
from questionset.rules import applicable_codes

from .models import Answer, CaseFile, Examination, Inspection


@dataclass
class QueueRow:
    case_file: CaseFile
    status: str  # not_started, in_progress, submitted, returned
    answered: int
    returned_reason: str
    applicable: int = 0

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
    """The inspector's files, each with "N of M answered" (M: the questions that apply to the file
    with its answers so far), in a constant number of queries."""
    files = (
        CaseFile.objects.assigned_to(inspector)
        .filter(inspection=inspection)
        .select_related("area", "inspection")
        .order_by("area__name", "urn")
    )
    examinations = {e.case_file_id: e for e in Examination.objects.primary().filter(case_file__in=files)}
    values: dict[int, dict[str, str]] = {}
    for examination_id, code, value in Answer.objects.filter(
        examination__in=[e.pk for e in examinations.values()]
    ).values_list("examination_id", "question__code", "value"):
        if value:
            values.setdefault(examination_id, {})[code] = value
    set_ids = {e.question_set_id for e in examinations.values()} | {inspection.question_set_id}
    questions: dict[int, list[Question]] = {}
    for question in Question.objects.filter(question_set_id__in=set_ids).only(
        "question_set_id", "code", "applies_when", "order"
    ):
        questions.setdefault(question.question_set_id, []).append(question)
    rows = []
    for f in files:
        e = examinations.get(f.pk)
        given = values.get(e.pk, {}) if e else {}
        applicable = applicable_codes(
            questions.get(e.question_set_id if e else inspection.question_set_id, []), f.attributes, given
        )
        answered = sum(1 for code in given if code in applicable)
        started = e is not None and (e.status != Examination.Status.IN_PROGRESS or given)
        status = e.status if started else "not_started"
        rows.append(QueueRow(f, status, answered, e.returned_reason if e else "", len(applicable)))
    rows.sort(key=lambda r: STATUS_ORDER[r.status])
    return rows


def queue_rows_filtered(
    rows: list[QueueRow], *, urn: str = "", status: str = "", area: str = "", stratum: str = "", sort: str = ""
) -> list[QueueRow]:
    """The queue as the inspector asked for it: URN search (any part, any case), filters, sort."""
    urn = urn.strip().upper()
    kept = [
        r
        for r in rows
        if (not urn or urn in r.case_file.urn.upper())
        and (not status or r.status == status)
        and (not area or r.case_file.area.name == area)
        and (not stratum or r.case_file.stratum == stratum)
    ]
    keys = {
        "urn": lambda r: r.case_file.urn,
        "area": lambda r: (r.case_file.area.name, r.case_file.urn),
        "answered": lambda r: (r.answered, r.case_file.urn),
    }
    return sorted(kept, key=keys[sort]) if sort in keys else kept


def inspection_by_slug(slug: str) -> Inspection:
    """The inspection a management command names, or the command's one-line refusal."""
    try:
        return Inspection.objects.get(slug=slug)
    except Inspection.DoesNotExist:
        raise CommandError(f"no inspection '{slug}'") from None
