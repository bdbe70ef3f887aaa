"""The sampling commands (SPEC): exit 0 on success; on failure a non-zero exit with a
one-line reason on stderr, and nothing stored."""

import csv
import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from casefiles.models import CaseFile
from sampling.models import Draw, Frame
from tests.conftest import _worker_database_url

from .frames import csv_bytes, keep_only, make_rows, xlsx_bytes

SAMPLE_COLUMNS = "urn,area,category,outcome,court,domestic_abuse,vrr,stratum,role,dip,inspector"


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refused(*args) -> str:
    with pytest.raises(CommandError) as error:
        call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())
    message = str(error.value)
    assert "\n" not in message
    return message


@pytest.fixture
def good_csv(tmp_path, frame_rows):
    path = tmp_path / "frame.csv"
    path.write_bytes(csv_bytes(frame_rows))
    return path


def test_import_frame_imports_a_csv_and_an_xlsx(inspection, tmp_path, frame_rows, good_csv):
    assert f"Imported {len(frame_rows)} rows" in run("import_frame", str(good_csv), "--inspection", inspection.slug)
    xlsx = tmp_path / "frame.xlsx"
    xlsx.write_bytes(xlsx_bytes(frame_rows))
    run("import_frame", str(xlsx), "--inspection", inspection.slug)
    assert Frame.objects.count() == 2


def test_import_frame_refuses_a_bad_frame_naming_every_bad_row_on_one_line(inspection, tmp_path, frame_rows):
    frame_rows[2]["area"] = "Atlantis"
    frame_rows[9]["decision_date"] = "yesterday"
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(frame_rows))
    message = refused("import_frame", str(path), "--inspection", inspection.slug)
    assert message.startswith("frame refused, nothing imported: 2 error(s) on 2 row(s)")
    assert "line 4, area: 'Atlantis' is not one of the 14 CPS Areas" in message
    assert "line 11, decision_date:" in message
    assert not Frame.objects.exists()


def test_import_frame_refuses_a_missing_file_or_inspection(inspection, good_csv):
    assert "cannot read" in refused("import_frame", "/nonexistent/frame.csv", "--inspection", inspection.slug)
    assert "no inspection 'nope'" in refused("import_frame", str(good_csv), "--inspection", "nope")


def test_draw_sample_draws_350_files_with_reserves(framed_inspection):
    assert "Drew 350 files and 294 reserves with seed 7." in run(
        "draw_sample", "--inspection", framed_inspection.slug, "--seed", "7"
    )
    assert Draw.objects.get().seed == 7


def test_draw_sample_refuses_naming_the_short_strata_and_draws_nothing(inspection, tmp_path):
    rows = keep_only(make_rows(), 2, "North East", "harassment", "charged", "crown")
    rows = keep_only(rows, 5, "Wessex", "stalking", "charged", "magistrates")
    path = tmp_path / "short.csv"
    path.write_bytes(csv_bytes(rows))
    run("import_frame", str(path), "--inspection", inspection.slug)
    message = refused("draw_sample", "--inspection", inspection.slug, "--seed", "1")
    assert message.startswith("nothing drawn: too few candidates in 1 Area × stratum cell(s)")
    assert "CPS Wessex, Stalking charged, magistrates' court (stalking_magistrates): 5 candidate(s) for 8" in message
    assert "--take-what-there-is" in message
    assert not CaseFile.objects.exists() and not Draw.objects.exists()
    out = run("draw_sample", "--inspection", inspection.slug, "--seed", "1", "--take-what-there-is")
    assert "Drew 347 files" in out and "Short stratum taken whole: CPS Wessex" in out
    assert Draw.objects.get().took_what_there_is


def test_draw_sample_refuses_without_a_frame_or_a_second_time(inspection, framed_inspection):
    other = type(inspection).objects.create(slug="empty", name="Empty", plan=inspection.plan)
    assert "Import a sample frame" in refused("draw_sample", "--inspection", other.slug, "--seed", "1")
    run("draw_sample", "--inspection", framed_inspection.slug, "--seed", "1")
    assert "already been drawn" in refused("draw_sample", "--inspection", framed_inspection.slug, "--seed", "2")


def test_export_sample_writes_specs_columns(drawn_inspection, tmp_path, inspector):
    first = CaseFile.objects.filter(inspection=drawn_inspection).in_sample().order_by("urn").first()
    CaseFile.objects.filter(pk=first.pk).update(assigned_to=inspector, in_dip=True)
    path = tmp_path / "sample.csv"
    assert "Wrote 644 files" in run("export_sample", "--inspection", drawn_inspection.slug, "-o", str(path))
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == SAMPLE_COLUMNS
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["role"] for r in rows] == ["sample"] * 350 + ["reserve"] * 294
    row = next(r for r in rows if r["urn"] == first.urn)
    assert row == {
        "urn": first.urn,
        "area": first.area.name,
        "category": first.attributes["category"],
        "outcome": first.attributes["outcome"],
        "court": first.attributes["court"],
        "domestic_abuse": first.attributes["domestic_abuse"],
        "vrr": first.attributes["vrr"],
        "stratum": first.stratum,
        "role": "sample",
        "dip": "yes",
        "inspector": "inspector1",
    }
    assert {r["dip"] for r in rows if r["urn"] != first.urn} == {"no"}
    assert {r["inspector"] for r in rows if r["urn"] != first.urn} == {""}


def test_export_sample_refuses_before_the_draw_or_to_an_unwritable_path(drawn_inspection, tmp_path):
    assert "cannot write" in refused("export_sample", "--inspection", drawn_inspection.slug, "-o", "/nonexistent/x.csv")
    other = type(drawn_inspection).objects.create(slug="undrawn", name="Undrawn", plan=drawn_inspection.plan)
    path = tmp_path / "x.csv"
    assert "no sample has been drawn" in refused("export_sample", "--inspection", other.slug, "-o", str(path))
    assert not path.exists()


def test_draw_dip_sample_tops_up_to_the_percentage_and_adds_nothing_the_second_time(drawn_inspection):
    out = run("draw_dip_sample", "--inspection", drawn_inspection.slug, "--percent", "15", "--seed", "3")
    assert "Added 53 files; the dip sample holds 53 of 350 (target 53 at 15%)." in out
    out = run("draw_dip_sample", "--inspection", drawn_inspection.slug, "--percent", "15", "--seed", "3")
    assert "Added 0 files; the dip sample holds 53 of 350" in out


def test_draw_dip_sample_refuses_a_bad_percentage_or_an_undrawn_sample(framed_inspection):
    slug = framed_inspection.slug
    assert "above 0 and at most 100" in refused(
        "draw_dip_sample", "--inspection", slug, "--percent", "150", "--seed", "1"
    )
    assert "Draw the sample before" in refused(
        "draw_dip_sample", "--inspection", slug, "--percent", "15", "--seed", "1"
    )


def test_create_inspection_refuses_a_plan_with_errors_naming_them(tmp_path, mini_question_set):
    path = tmp_path / "plan.yaml"
    path.write_text("code: x\nname: X\nstrata: []\ndip_sample_percent: 0\n", encoding="utf-8")
    fixture = settings.BASE_DIR / "tests" / "fixtures" / "mini-questionset.yaml"
    message = refused("create_inspection", "new", "--name", "New", "--plan", str(path), "--questionset", str(fixture))
    assert "the plan needs 'strata'" in message and "dip_sample_percent must be" in message


@pytest.mark.django_db(transaction=True)
def test_a_real_manage_py_run_exits_non_zero_with_one_line_on_stderr(inspection, tmp_path, frame_rows):
    frame_rows[0]["outcome"] = "dropped"
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(frame_rows))
    env = {**os.environ, "DATABASE_URL": _worker_database_url()}
    done = subprocess.run(
        [sys.executable, "manage.py", "import_frame", str(path), "--inspection", inspection.slug],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "line 2, outcome: 'dropped' is not charged or nfa" in lines[0]
    assert not Frame.objects.exists()
    frame_rows[0]["outcome"] = "charged"
    path.write_bytes(csv_bytes(frame_rows))
    done = subprocess.run(
        [sys.executable, "manage.py", "import_frame", str(path), "--inspection", inspection.slug],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert Frame.objects.get().row_count == len(frame_rows)
