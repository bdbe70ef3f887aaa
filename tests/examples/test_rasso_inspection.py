"""The second inspection that ships as data (examples/rasso/): its whole journey through the
same commands and services as the stalking inspection, with no code of its own."""

import csv
import io
import random
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.roles import INSPECTOR
from casefiles.models import CaseFile, Examination, Inspection
from casefiles.services import answer_save, examination_open, examination_submit, files_assign_balanced
from questionset.rules import question_applies
from tests.conftest import make_user

EXAMPLE = Path(settings.BASE_DIR) / "examples" / "rasso"


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def answer_and_submit(case_file: CaseFile, inspector, rng: random.Random) -> Examination:
    """Answer every question that applies, through answer_save as the examination page does, then submit."""
    examination = examination_open(case_file=case_file, examiner=inspector)
    given: dict[str, str] = {}
    questions = examination.question_set.questions.order_by("section__order", "order").prefetch_related("options")
    for question in questions:
        if not question_applies(question.applies_when, case_file.attributes, given):
            continue
        codes = [o.code for o in question.options.all()]
        if question.answer_type == "choice":
            value = rng.choice([c for c in codes if c != "na"])
        elif question.answer_type == "multi":
            value = codes[0]
        else:
            value = case_file.attributes["advice_date"]
        comment = "Recorded on the file." if value in question.comment_required_for else ""
        answer_save(examination=examination, question=question, value=value, comment=comment, user=inspector,
                    expected_version=0)  # fmt: skip
        given[question.code] = value
    return examination_submit(examination=examination, user=inspector)


@pytest.mark.django_db(transaction=True)
def test_the_example_rasso_inspection_runs_end_to_end_as_data(tmp_path):
    run("create_inspection", "rasso", "--name", "RASSO example",
        "--plan", str(EXAMPLE / "plan.yaml"), "--questionset", str(EXAMPLE / "questionset.yaml"))  # fmt: skip
    inspection = Inspection.objects.get(slug="rasso")
    assert [a.code for a in inspection.case_attributes] == [
        "offence", "decision", "venue", "vulnerable_victim", "advice_date", "police_force"
    ]  # fmt: skip
    assert "Imported 322 rows" in run("import_frame", str(EXAMPLE / "frame.csv"), "--inspection", "rasso")
    run("draw_sample", "--inspection", "rasso", "--seed", "7")
    sample = CaseFile.objects.filter(inspection=inspection).in_sample()
    assert sample.count() == 14 * 6
    assert not CaseFile.objects.filter(inspection=inspection, attributes__offence="historic_non_recent").exists()
    assert set(sample.values_list("stratum", flat=True)) == {"rape_charged", "rape_nfa", "sso_charged", "sso_nfa"}
    nfa = sample.filter(attributes__decision="nfa")
    assert nfa.exists() and all(f.attributes["venue"] == "" for f in nfa)

    inspectors = [make_user("rasso1", INSPECTOR), make_user("rasso2", INSPECTOR)]
    assigned, _ = files_assign_balanced(inspection=inspection, inspectors=inspectors)
    assert assigned == 84
    rng = random.Random(3)
    for case_file in sample.select_related("assigned_to", "inspection").order_by("urn")[:30]:
        answer_and_submit(case_file, case_file.assigned_to, rng)
    assert Examination.objects.filter(case_file__inspection=inspection, status="submitted").count() == 30

    run("draw_dip_sample", "--inspection", "rasso", "--percent", "20", "--seed", "5")
    assert sample.filter(in_dip=True).count() == 17  # 20% of 84, rounded up

    sample_csv = tmp_path / "sample.csv"
    run("export_sample", "--inspection", "rasso", "-o", str(sample_csv))
    header = sample_csv.read_text(encoding="utf-8").splitlines()[0]
    assert header == "urn,area,offence,decision,venue,vulnerable_victim,advice_date,stratum,role,dip,inspector"
    results_csv = tmp_path / "results.csv"
    run("export_results", "--inspection", "rasso", "-o", str(results_csv))
    rows = list(csv.DictReader(io.StringIO(results_csv.read_text(encoding="utf-8"))))
    assert list(rows[0]) == ["urn", "area", "offence", "decision", "venue", "vulnerable_victim",
                             "examination", "inspector", "question", "answer", "comment"]  # fmt: skip
    assert {r["examination"] for r in rows} == {"primary"}

    xlsx = tmp_path / "report.xlsx"
    run("build_report", "--inspection", "rasso", "-o", str(xlsx))
    data = list(load_workbook(xlsx, read_only=True)["data"].iter_rows(values_only=True))
    assert data[0][:6] == ("question", "breakdown", "group", "answer", "count", "percent")
    breakdowns = {r[1] for r in data[1:]}
    assert breakdowns == {"all", "area", "offence", "decision", "vulnerable_victim"}
    groups = {(r[1], r[2]) for r in data[1:] if r[1] in ("offence", "decision")}
    assert groups == {("offence", "rape"), ("offence", "serious_sexual_offence"),
                      ("decision", "charged"), ("decision", "nfa")}  # fmt: skip
    counted = sum(r[4] for r in data[1:] if r[0] == "CD1" and r[1] == "all")
    assert counted == 30

    pdf = tmp_path / "report.pdf"
    run("build_report", "--inspection", "rasso", "-o", str(pdf))
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Vulnerable or intimidated victim" in text and "Charging decision" in text
    assert "Serious sexual offence" in text
