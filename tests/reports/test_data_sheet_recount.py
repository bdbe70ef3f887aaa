"""The `data` sheet of build_report against a recount, in plain Python, of export_results' CSV:
single-choice and multiple-choice questions."""

import csv
import io
import random
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from casefiles.models import Area, Examination
from questionset.models import Question
from tests.conftest import make_case_file

from .conftest import record_examination

pytestmark = pytest.mark.django_db

GROUP_COLUMNS = {
    "all": None,
    "area": "area",
    "court": "court",
    "category": "category",
    "outcome": "outcome",
    "domestic_abuse": "domestic_abuse",
}


def random_files(inspection, inspector, colleague, seed: int = 7) -> None:
    """40 files over 5 Areas with random answers; some in progress, some dip re-examined."""
    rng = random.Random(seed)
    areas = list(Area.objects.order_by("name")[:5])
    questions = list(Question.objects.filter(question_set=inspection.question_set).prefetch_related("options"))
    for i in range(40):
        outcome = rng.choice(["charged", "charged", "nfa"])
        case_file = make_case_file(
            inspection,
            f"R{i:03d}",
            assigned_to=inspector,
            area=rng.choice(areas),
            category=rng.choice(["stalking", "harassment", "breach_of_order"]),
            outcome=outcome,
            court="" if outcome == "nfa" else rng.choice(["magistrates", "crown"]),
            domestic_abuse=rng.random() < 0.6,
        )
        answers = {}
        for question in questions:
            if rng.random() < 0.25:
                continue  # not answered, as when a question does not apply
            codes = [o.code for o in question.options.all()]
            if question.answer_type == Question.Type.CHOICE:
                answers[question.code] = rng.choice(codes)
            elif question.answer_type == Question.Type.MULTI:
                answers[question.code] = "|".join(c for c in codes if rng.random() < 0.5) or codes[0]
            else:
                answers[question.code] = str(rng.randint(1, 90))
        status = Examination.Status.IN_PROGRESS if i % 9 == 0 else Examination.Status.SUBMITTED
        record_examination(case_file, inspector, answers, status=status)
        if i % 5 == 0:
            record_examination(case_file, colleague, {"LD1": "not_meets", "VW1": "no"}, kind=Examination.Kind.DIP)
    # An Area whose only answer is "not applicable": its percentages have nothing to divide by.
    lonely = make_case_file(inspection, "R999", assigned_to=inspector, area=Area.objects.order_by("name")[6])
    record_examination(lonely, inspector, {"LD1": "na"})


def recount(results_csv: str, questions: list[Question]) -> set[tuple]:
    """SPEC's data sheet, worked out from export_results alone."""
    rows = [r for r in csv.DictReader(io.StringIO(results_csv)) if r["examination"] == "primary"]
    out = set()
    for breakdown, column in GROUP_COLUMNS.items():

        def group_of(row: dict, column=column) -> str:
            return "all" if column is None else (row[column] or "none")

        groups = {group_of(r) for r in rows}
        for question in questions:
            for group in groups:
                given = [r["answer"] for r in rows if r["question"] == question.code and group_of(r) == group]
                if question.answer_type == "multi":
                    # Each examination counts once for each option it ticked, and once in the
                    # denominator when it ticked anything but na.
                    ticked = [set(value.split("|")) for value in given]
                    answers = Counter(code for codes in ticked for code in codes)
                    denominator = sum(1 for codes in ticked if codes - {"na"})
                else:
                    answers = Counter(given)
                    denominator = sum(n for code, n in answers.items() if code != "na")
                for option in question.options.all():
                    count = answers[option.code]
                    if option.code == "na" or not denominator:
                        pct = None
                    else:
                        pct = float((Decimal(100 * count) / denominator).quantize(Decimal("0.1"), ROUND_HALF_UP))
                    out.add((question.code, breakdown, group, option.code, count, pct))
    return out


def test_the_data_sheet_agrees_with_a_recount_of_export_results(inspection, inspector, colleague, tmp_path):
    random_files(inspection, inspector, colleague)
    call_command("export_results", "--inspection", inspection.slug, "-o", str(tmp_path / "r.csv"), stdout=io.StringIO())
    call_command("build_report", "--inspection", inspection.slug, "-o", str(tmp_path / "r.xlsx"), stdout=io.StringIO())

    sheet = load_workbook(tmp_path / "r.xlsx", read_only=True)["data"]
    rows = [tuple(r)[:6] for r in sheet.iter_rows(values_only=True)][1:]  # SPEC's six columns
    choice = list(
        Question.objects.filter(
            question_set=inspection.question_set, answer_type__in=["choice", "multi"]
        ).prefetch_related("options")
    )
    expected = recount((tmp_path / "r.csv").read_text(encoding="utf-8"), choice)
    assert any(r[0] == "VW3" and r[4] > 0 for r in rows)  # multiple-choice rows are there, and counted
    assert len(rows) == len(set(rows)) == len(expected)
    assert set(rows) == expected
    assert any(r[4] > 0 for r in rows)
    lonely_area = Area.objects.order_by("name")[6].name
    assert ("LD1", "area", lonely_area, "fully_meets", 0, None) in expected
    assert ("LD1", "area", lonely_area, "na", 1, None) in expected
