"""Consistency (and dip) answers never count in the primary results: the report tables,
the tidy data sheet and build_report count primary examinations only, while
export_results carries every kind, named in its `examination` column (SPEC)."""

import datetime

from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from casefiles.models import Examination
from quality.models import Exercise, ExerciseExamination
from quality.reviewing import Verdict
from quality.services import review_complete, review_start
from reports.exports import results_rows
from reports.tables import counted_examinations, data_rows, question_tables
from tests.conftest import make_case_file

from .conftest import examine


def build(inspection, inspector, colleague, qa_lead, lead):
    """One file: primary answers LD1 fully meets / VW1 yes; a dip review and two
    consistency examinations that all answer LD1 not meets / VW1 no."""
    case_file = make_case_file(inspection, "52WS0001", assigned_to=inspector, in_dip=True)
    primary = examine(case_file, inspector, {"LD1": "fully_meets", "VW1": "yes"})
    exercise = Exercise.objects.create(
        inspection=inspection,
        name="Check",
        closes_on=timezone.localdate() + datetime.timedelta(days=1),
        created_by=lead,
    )
    exercise.files.add(case_file)
    for person in (colleague, lead):
        consistency = examine(
            case_file,
            person,
            {"LD1": ("not_meets", "Wrong charge."), "LD2": "no", "VW1": "no"},
            kind=Examination.Kind.CONSISTENCY,
        )
        ExerciseExamination.objects.create(exercise=exercise, examination=consistency)
    review = review_start(examination=primary, reviewer=qa_lead, blind=False)
    review_complete(
        review=review,
        user=qa_lead,
        verdicts={"VW1": Verdict(agrees=False, qa_value="no", reason="No order sought.", amend=False)},
    )
    return case_file


def test_the_report_tables_count_primary_examinations_only(inspection, inspector, colleague, qa_lead, lead):
    build(inspection, inspector, colleague, qa_lead, lead)
    assert Examination.objects.filter(status="submitted").count() == 4  # primary, dip, two consistency
    assert list(counted_examinations(inspection).values_list("kind", flat=True)) == ["primary"]
    tables = {t.code: t for t in question_tables(inspection)}
    ld1 = {o.code: n for o, n, _ in tables["LD1"].overall.cells}
    vw1 = {o.code: n for o, n, _ in tables["VW1"].overall.cells}
    assert ld1 == {"fully_meets": 1, "partially_meets": 0, "not_meets": 0, "na": 0}
    assert vw1 == {"yes": 1, "no": 0, "na": 0}
    assert tables["LD2"].overall.n == 0  # only the consistency examinations answered LD2
    rows = {(r[0], r[1], r[2], r[3]): r[4] for r in data_rows(question_tables(inspection, breakdowns=["area"]))}
    assert rows[("LD1", "all", "all", "not_meets")] == 0 and rows[("LD1", "area", "Wessex", "fully_meets")] == 1


def test_build_report_counts_primary_examinations_only(inspection, inspector, colleague, qa_lead, lead, tmp_path):
    build(inspection, inspector, colleague, qa_lead, lead)
    out = tmp_path / "report.xlsx"
    call_command("build_report", "--inspection", inspection.slug, "-o", str(out))
    sheet = load_workbook(out, read_only=True)["data"]
    counts = {(r[0], r[1], r[3]): (r[4], r[5]) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert counts[("LD1", "all", "fully_meets")] == (1, 100.0)
    assert counts[("LD1", "all", "not_meets")] == (0, 0.0)
    assert counts[("VW1", "all", "yes")] == (1, 100.0)
    assert counts[("VW1", "all", "no")] == (0, 0.0)
    assert sum(n for (code, b, _), (n, _) in counts.items() if code == "LD2" and b == "all") == 0


def test_export_results_names_every_kind(inspection, inspector, colleague, qa_lead, lead):
    build(inspection, inspector, colleague, qa_lead, lead)
    rows = [(r[6], r[7], r[8], r[9]) for r in results_rows(inspection) if r[8] == "VW1"]
    assert sorted(rows) == [
        ("consistency", "inspector2", "VW1", "no"),
        ("consistency", "lead", "VW1", "no"),
        ("dip", "qa", "VW1", "no"),
        ("primary", "inspector1", "VW1", "yes"),
    ]
