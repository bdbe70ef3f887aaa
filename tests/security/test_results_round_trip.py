"""export_results escapes formula-leading comments; import_results reads them back as
they were, so the round trip still gives the same file."""

import io

import pytest
from django.core.management import call_command

from casefiles.models import Answer, CaseFile
from tests.reports.conftest import record_examination
from tests.reports.test_results_import import drawn, export

pytestmark = pytest.mark.django_db


def test_formula_comments_are_escaped_out_and_restored_in(mini_question_set, lead, inspector, tmp_path):
    source = drawn("pilot", mini_question_set, lead)
    files = list(CaseFile.objects.filter(inspection=source).in_sample().order_by("urn"))[:3]
    comments = ['=HYPERLINK("http://x","y")', "-2+3", "@SUM(A1)"]
    for case_file, comment in zip(files, comments, strict=True):
        record_examination(case_file, inspector, {"LD1": ("not_meets", comment), "VW2": "-4"})
    first = export(source, tmp_path, "first.csv")
    text = first.decode()
    assert "\"'=HYPERLINK(" in text and ",'-2+3" in text and ",'@SUM(A1)" in text
    assert '"=HYPERLINK' not in text and ",-2+3" not in text
    assert ",-4," in text  # a negative number is data, not a formula
    drawn("fresh", mini_question_set, lead)
    call_command("import_results", str(tmp_path / "first.csv"), "--inspection", "fresh", stdout=io.StringIO())
    restored = Answer.objects.filter(examination__case_file__inspection__slug="fresh", question__code="LD1")
    assert sorted(restored.values_list("comment", flat=True)) == sorted(comments)
    assert export(CaseFile.objects.filter(inspection__slug="fresh").first().inspection, tmp_path, "b.csv") == first
