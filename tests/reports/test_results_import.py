"""import_results, the inverse of export_results: the round trip, and refusals naming every bad row."""

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.roles import INSPECTOR, QA_LEAD
from casefiles.models import Answer, AnswerChange, CaseFile, Examination, Inspection
from reports.results_import import ResultsInvalid, results_import
from sampling.services import frame_import, sample_draw
from tests.conftest import make_user

from .conftest import SMALL_PLAN, frame_csv, record_examination

pytestmark = pytest.mark.django_db


def drawn(slug: str, question_set, lead) -> Inspection:
    inspection = Inspection.objects.create(slug=slug, name=slug, question_set=question_set, plan=SMALL_PLAN)
    frame_import(inspection=inspection, filename="frame.csv", content=frame_csv(), user=lead)
    sample_draw(inspection=inspection, seed=5, user=lead, take_what_there_is=True)
    return inspection


def export(inspection, tmp_path, name: str) -> bytes:
    call_command("export_results", "--inspection", inspection.slug, "-o", str(tmp_path / name), stdout=io.StringIO())
    return (tmp_path / name).read_bytes()


@pytest.fixture
def source(mini_question_set, lead, inspector, colleague):
    inspection = drawn("pilot", mini_question_set, lead)
    qa = make_user("qa-lead", QA_LEAD, INSPECTOR)
    files = list(CaseFile.objects.filter(inspection=inspection).in_sample().order_by("urn"))
    for i, case_file in enumerate(files):
        answers = {
            "LD1": ("not_meets", 'Charged "harassment", not stalking;\nsee the MG3, line 2')
            if i % 3
            else "fully_meets",
            "VW3": "following|cyber" if i % 2 else "contacting",
            "VW2": str(10 + i),
        }
        if i == 4:
            answers["LD2"] = ""  # an answer cleared before submission is exported empty
        record_examination(case_file, inspector, answers)
    record_examination(files[0], qa, {"LD1": "partially_meets"}, kind=Examination.Kind.DIP)
    record_examination(files[1], colleague, {"LD1": "na", "VW1": "yes"}, kind=Examination.Kind.CONSISTENCY)
    in_progress = {"kind": Examination.Kind.DIP, "status": Examination.Status.IN_PROGRESS}
    record_examination(files[2], colleague, {"LD1": "na"}, **in_progress)  # not exported
    return inspection


def test_export_then_import_into_a_fresh_inspection_then_export_gives_the_same_file(
    source, mini_question_set, lead, tmp_path
):
    first = export(source, tmp_path, "first.csv")
    fresh = drawn("fresh", mini_question_set, lead)
    out = io.StringIO()
    call_command("import_results", str(tmp_path / "first.csv"), "--inspection", "fresh", stdout=out)
    assert "Imported 16 examinations, 46 answers" in out.getvalue()
    assert export(fresh, tmp_path, "second.csv") == first
    imported = Examination.objects.filter(case_file__inspection=fresh)
    assert set(imported.values_list("status", flat=True)) == {Examination.Status.SUBMITTED}
    assert set(AnswerChange.objects.filter(answer__examination__in=imported).values_list("source", flat=True)) == {
        "import"
    }


def test_a_file_with_bad_rows_is_refused_whole_naming_each_by_line_and_column(
    source, mini_question_set, lead, tmp_path
):
    lines = export(source, tmp_path, "r.csv").decode().splitlines(keepends=True)
    fresh = drawn("fresh", mini_question_set, lead)
    header = lines[0]
    good = [line for line in lines[1:] if line.count(",") == 10 and ",primary,inspector1,VW2," in line]
    urn, area = good[0].split(",")[:2]
    bad = [
        good[0].replace(urn, "NOSUCHURN"),  # line 2
        good[1].replace(",VW2,", ",XX9,"),  # line 3
        good[2].replace(",primary,", ",secondary,").replace(",inspector1,", ",nobody,"),  # line 4
        good[3].replace(area, "Wessex" if area != "Wessex" else "London North"),  # line 5
        good[4].replace(",VW2,14,", ",VW2,fourteen,"),  # line 6
    ]
    content = header + "".join(bad) + good[5]
    with pytest.raises(ResultsInvalid) as refused:
        results_import(inspection=fresh, content=content)
    found = [(e.line, e.column) for e in refused.value.errors]
    assert found == [(2, "urn"), (3, "question"), (4, "examination"), (4, "inspector"), (5, "area"), (6, "answer")]
    assert "line 6, column answer: 'fourteen' is not a number" in str(refused.value)
    assert not Examination.objects.filter(case_file__inspection=fresh).exists()


def test_more_than_a_hundred_problems_are_listed_up_to_a_hundred_then_counted(
    source, mini_question_set, lead, tmp_path
):
    lines = export(source, tmp_path, "r.csv").decode().splitlines(keepends=True)
    fresh = drawn("fresh", mini_question_set, lead)
    row = next(line for line in lines[1:] if ",VW2," in line)
    content = lines[0] + row.replace(",VW2,", ",ZZ1,") * 130
    with pytest.raises(ResultsInvalid) as refused:
        results_import(inspection=fresh, content=content)
    message = str(refused.value)
    assert len(refused.value.errors) == 130
    assert "line 101, column question" in message and "line 102," not in message
    assert message.endswith("; and 30 more")


def test_a_file_already_examined_is_not_imported_again(source, tmp_path):
    export(source, tmp_path, "r.csv")
    with pytest.raises(ResultsInvalid, match="already has a primary examination"):
        results_import(inspection=source, content=(tmp_path / "r.csv").read_bytes())
    assert Answer.objects.filter(examination__case_file__inspection=source).count() == 47  # 46 exported + 1


def test_a_wrong_header_is_refused(source):
    with pytest.raises(ResultsInvalid, match="line 1, column header"):
        results_import(inspection=source, content="urn,area,question,answer\n")


def test_the_command_exits_non_zero_with_one_line_on_stderr(source, mini_question_set, lead, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(export(source, tmp_path, "r.csv").decode().replace(",VW2,", ",XX9,"), encoding="utf-8")
    drawn("fresh", mini_question_set, lead)
    with pytest.raises(CommandError, match=r"results refused, nothing imported: 14 error\(s\) on 14 row\(s\): line"):
        call_command("import_results", str(bad), "--inspection", "fresh")


def test_the_command_counts_thousands_of_bad_rows_as_import_frame_does(source, mini_question_set, lead, tmp_path):
    lines = export(source, tmp_path, "r.csv").decode().splitlines(keepends=True)
    row = next(line for line in lines[1:] if ",VW2," in line)
    bad = tmp_path / "bad.csv"
    bad.write_text(lines[0] + row.replace(",VW2,", ",ZZ1,") * 1200, encoding="utf-8")
    drawn("fresh", mini_question_set, lead)
    with pytest.raises(CommandError) as refused:
        call_command("import_results", str(bad), "--inspection", "fresh")
    message = str(refused.value)
    assert message.startswith("results refused, nothing imported: 1,200 error(s) on 1,200 row(s): line 2,")
    assert message.endswith("; and 1,100 more") and "\n" not in message


@pytest.mark.parametrize("args", [["missing.csv", "--inspection", "pilot"]])
def test_the_command_says_why_it_cannot_read_the_file(source, args):
    with pytest.raises(CommandError, match="cannot read missing.csv"):
        call_command("import_results", *args)
