"""Raw data: export_results' long format, and the XLSX workbook with its tidy `data` sheet."""

import csv
from typing import TextIO

from openpyxl import Workbook

from casefiles.models import Answer, Examination, Inspection

from .tables import question_tables

RESULTS_COLUMNS = [
    "urn",
    "area",
    "category",
    "outcome",
    "court",
    "domestic_abuse",
    "examination",
    "inspector",
    "question",
    "answer",
    "comment",
]


def results_rows(inspection: Inspection):
    answers = (
        Answer.objects.filter(
            examination__case_file__inspection=inspection, examination__status=Examination.Status.SUBMITTED
        )
        .select_related("examination__case_file__area", "examination__examiner", "question")
        .order_by(
            "examination__case_file__urn", "examination__kind", "examination__examiner__username", "question__order"
        )
    )
    for answer in answers.iterator(2000):
        examination = answer.examination
        case = examination.case_file
        yield [
            case.urn,
            case.area.name,
            case.category,
            case.outcome,
            case.court,
            "yes" if case.domestic_abuse else "no",
            examination.kind,
            examination.examiner.username,
            answer.question.code,
            answer.value,
            answer.comment,
        ]


def write_results_csv(inspection: Inspection, out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RESULTS_COLUMNS)
    count = 0
    for row in results_rows(inspection):
        writer.writerow(row)
        count += 1
    return count


def build_workbook(inspection: Inspection) -> Workbook:
    workbook = Workbook()
    summary = workbook.active
    summary.title = "summary"
    summary.append(["question", "text", "n", "not applicable"])
    data = workbook.create_sheet("data")
    data.append(["question", "breakdown", "group", "answer", "count", "percent"])
    for table in question_tables(inspection):
        summary.append([table.code, table.text, table.answered, table.not_applicable])
        for row in table.rows:
            data.append(
                [table.code, "all", "all", row.code, row.count, row.percent if row.percent is not None else None]
            )
    return workbook
