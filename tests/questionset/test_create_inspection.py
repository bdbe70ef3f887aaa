"""`create_inspection SLUG --name NAME [--plan PATH] [--questionset PATH]`."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from casefiles.models import Inspection
from questionset.models import QuestionSet
from tests.conftest import FIXTURES

from .test_loader import BROKEN_SET


def test_without_a_question_set_it_loads_the_shipped_versions_and_uses_the_newest(db, capsys):
    call_command("create_inspection", "stalking-test", "--name", "Stalking test")
    inspection = Inspection.objects.get(slug="stalking-test")
    assert (inspection.question_set.code, inspection.question_set.questions.count()) == ("stalking-2026", 90)
    out = capsys.readouterr().out
    assert "Created inspection 'stalking-test' with question set 'stalking-2026' version 2 (90 questions)" in out
    # Version 1 is there too, numbered as its file is labelled, so the two can be compared.
    versions = QuestionSet.objects.filter(code="stalking-2026").order_by("number")
    assert [(v.number, v.version_label) for v in versions] == [(1, "1.0"), (2, "2.0")]


def test_it_uses_the_question_set_file_it_is_given(db):
    call_command(
        "create_inspection", "mini-test", "--name", "Mini", "--questionset", str(FIXTURES / "mini-questionset.yaml")
    )
    assert Inspection.objects.get(slug="mini-test").question_set.code == "mini"


def test_two_inspections_from_the_same_file_share_its_version(db):
    call_command("create_inspection", "one", "--name", "One")
    call_command("create_inspection", "two", "--name", "Two")
    assert QuestionSet.objects.count() == 2  # the shipped versions, loaded once
    assert Inspection.objects.get(slug="one").question_set == Inspection.objects.get(slug="two").question_set


def test_a_bad_question_set_is_refused_naming_every_error(db, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN_SET)
    with pytest.raises(CommandError) as refused:
        call_command("create_inspection", "bad", "--name", "Bad", "--questionset", str(path))
    message = str(refused.value)
    assert message.startswith(f"the question set {path} is invalid: ")
    assert "question Q1: the code appears twice" in message and "section EMPTY: has no questions" in message
    assert "\n" not in message
    assert not Inspection.objects.exists() and not QuestionSet.objects.exists()


def test_a_missing_file_is_named(db, tmp_path):
    with pytest.raises(CommandError, match=r"cannot read .*missing.yaml: No such file or directory"):
        call_command("create_inspection", "x", "--name", "X", "--questionset", str(tmp_path / "missing.yaml"))
    assert not Inspection.objects.exists()


def test_an_existing_slug_is_refused_and_leaves_no_new_version(db, inspection):
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_inspection", inspection.slug, "--name", "Again")  # would load the stalking set
    assert not QuestionSet.objects.filter(code="stalking-2026").exists()


def test_it_exits_non_zero_with_a_one_line_reason_on_stderr(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN_SET)
    result = subprocess.run(
        [sys.executable, "manage.py", "create_inspection", "x", "--name", "X", "--questionset", str(path)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"},
        timeout=120,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("CommandError: the question set ") and "Q10" in lines[0]


def test_a_question_set_naming_attributes_the_plan_lacks_is_refused_naming_every_one_and_nothing_stored(db):
    """The stalking set's conditions (outcome, court, category…) against the example RASSO plan's attributes."""
    plan = settings.BASE_DIR / "examples" / "rasso" / "plan.yaml"
    versions = QuestionSet.objects.count()
    with pytest.raises(CommandError) as refused:
        call_command("create_inspection", "mixed", "--name", "Mixed", "--plan", str(plan))
    message = str(refused.value)
    assert "applies_when.outcome is not a case attribute of the plan" in message
    assert "applies_when.court is not a case attribute of the plan" in message
    assert message.count("is not a case attribute of the plan") > 10  # every bad reference, not just the first
    assert not Inspection.objects.filter(slug="mixed").exists() and QuestionSet.objects.count() == versions
