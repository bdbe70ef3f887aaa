"""Stata and SPSS analysis files, read back with pyreadstat: labels, values, weights; and the codebook."""

import csv
import io
import tempfile
from pathlib import Path

import pyreadstat
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from reports.models import ReportJob
from reports.render import render_report
from reports.services import report_job_request, report_job_run
from reports.weights import inspection_weights

from .conftest import examine_every_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def examined(weighted_inspection, inspector):  # noqa: F811
    examine_every_file(weighted_inspection, inspector)
    return weighted_inspection


@pytest.mark.parametrize(("suffix", "reader"), [(".dta", pyreadstat.read_dta), (".sav", pyreadstat.read_sav)])
def test_the_analysis_file_carries_question_texts_option_labels_attributes_and_weights(
    examined, tmp_path, suffix, reader
):
    out = tmp_path / f"analysis{suffix}"
    call_command("build_report", "--inspection", examined.slug, "-o", str(out), stdout=io.StringIO())
    frame, meta = reader(str(out))

    assert len(frame) == 14  # one row per counted examination
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["LD1"] == "Did the CPS select the correct charges?"
    assert labels["VW3_cyber"] == "Which behaviours were evident? Monitoring electronic communications"
    ld1_labels = meta.variable_value_labels["LD1"]
    assert ld1_labels == {
        1: "Fully meets the required standard",
        2: "Partially meets the required standard",
        3: "Does not meet the required standard",
        4: "Not applicable",
    }
    assert meta.variable_value_labels["VW3_following"] == {0: "Not chosen", 1: "Chosen"}
    assert set(meta.variable_value_labels["area"].values()) == {"CPS Wessex", "CPS London North"}
    assert meta.variable_value_labels["stratum"] == {1: "Stalking, magistrates'", 2: "Harassment, Crown Court"}
    for column in ("urn", "category", "outcome", "court", "domestic_abuse", "vrr", "inspector"):
        assert column in frame.columns

    # The stored answers, coded: the examinations of export_results, file by file.
    results = csv.DictReader(io.StringIO(render_report(examined, "csv").decode()))
    answers = {(r["urn"], r["question"]): r["answer"] for r in results}
    codes = {1: "fully_meets", 2: "partially_meets", 3: "not_meets", 4: "na"}
    for row in frame.itertuples():
        assert codes[int(row.LD1)] == answers[(row.urn, "LD1")]
        assert bool(row.VW3_cyber) == ("cyber" in answers[(row.urn, "VW3")].split("|"))
        assert row.VW2 != row.VW2  # a number question nobody answered is missing (NaN)

    weights = {f.urn: w for f, w in _weights_by_file(examined)}
    for row in frame.itertuples():
        assert row.design_weight == pytest.approx(weights[row.urn])
        assert row.weight == pytest.approx(weights[row.urn])  # every sampled file was examined
    assert frame["weight"].sum() == pytest.approx(160)  # the weights add up to the frame
    assert (tmp_path / "analysis.codebook.csv").exists()


def _weights_by_file(inspection):
    from casefiles.models import CaseFile

    weights = inspection_weights(inspection)
    return [(f, weights[f.pk]) for f in CaseFile.objects.filter(pk__in=list(weights))]


def test_the_codebook_lists_every_variable_with_its_label_and_values(examined):
    rows = list(csv.DictReader(io.StringIO(render_report(examined, "cbk").decode())))
    by_name = {r["variable"]: r for r in rows}
    assert by_name["LD1"]["label"] == "Did the CPS select the correct charges?"
    assert by_name["LD1"]["values"].startswith("1 = Fully meets the required standard; 2 = Partially meets")
    assert (by_name["VW3_contacting"]["question"], by_name["VW3_contacting"]["option"]) == ("VW3", "contacting")
    assert by_name["weight"]["type"] == "number"
    _, meta = pyreadstat.read_dta(_to_file(examined, "dta"))
    assert [r["variable"] for r in rows] == meta.column_names


def _to_file(inspection, format):
    path = Path(tempfile.mkdtemp()) / f"a.{format}"
    path.write_bytes(render_report(inspection, format))
    return str(path)


def test_a_long_question_text_is_cut_to_statas_80_characters_but_kept_whole_for_spss(examined):
    from questionset.models import Question

    long_text = ("Was the victim kept informed at every stage, " * 4).strip()
    Question.objects.filter(question_set=examined.question_set, code="LD1").update(text=long_text)
    _, stata = pyreadstat.read_dta(_to_file(examined, "dta"))
    _, spss = pyreadstat.read_sav(_to_file(examined, "sav"))
    assert dict(zip(stata.column_names, stata.column_labels, strict=True))["LD1"] == long_text[:80]
    assert dict(zip(spss.column_names, spss.column_labels, strict=True))["LD1"] == long_text
    Question.objects.filter(question_set=examined.question_set, code="VW3").update(text=long_text)
    _, stata = pyreadstat.read_dta(_to_file(examined, "dta"))
    cyber = dict(zip(stata.column_names, stata.column_labels, strict=True))["VW3_cyber"]
    assert len(cyber) == 80 and cyber.endswith("… Monitoring electronic communications")  # the option stays readable


def test_build_report_refuses_an_unknown_suffix(examined, tmp_path):
    with pytest.raises(CommandError, match=r"\.dta or \.sav"):
        call_command("build_report", "--inspection", examined.slug, "-o", str(tmp_path / "x.por"))


def test_a_writer_requests_a_stata_file_from_the_reports_page_and_downloads_it_labelled(
    examined, writer, inspector, client, tmp_path
):
    client.force_login(writer)
    page = client.get(reverse("reports:index"), {"inspection": examined.pk}).content.decode()
    for label in ("Analysis file for Stata (.dta)", "Analysis file for SPSS (.sav)", "Codebook of the analysis"):
        assert label in page
    response = client.post(reverse("reports:index"), {"inspection": examined.pk, "format": "dta"})
    job = ReportJob.objects.get()
    assert response.status_code == 302 and job.format == "dta"
    report_job_run(job_id=job.pk)
    download = client.get(reverse("reports:download", args=[job.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="OFFICIAL-SENSITIVE_weights-report-{job.pk}.dta"'
    (tmp_path / "d.dta").write_bytes(b"".join(download.streaming_content))
    frame, meta = pyreadstat.read_dta(str(tmp_path / "d.dta"))
    assert len(frame) == 14 and meta.variable_value_labels["LD1"][1] == "Fully meets the required standard"

    client.force_login(inspector)  # not a report writer
    assert client.post(reverse("reports:index"), {"inspection": examined.pk, "format": "sav"}).status_code == 403
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 403
    assert ReportJob.objects.count() == 1


def test_the_codebook_downloads_as_csv(examined, writer, client):
    job = report_job_request(inspection=examined, user=writer, format="cbk")
    report_job_run(job_id=job.pk)
    client.force_login(writer)
    download = client.get(reverse("reports:download", args=[job.pk]))
    assert download["Content-Disposition"].endswith('.codebook.csv"')
    assert b"".join(download.streaming_content).startswith(b"variable,label,type,values,question,option")
