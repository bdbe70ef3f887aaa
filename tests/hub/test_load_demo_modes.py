"""load_demo --if-missing (what bin/serve runs) keeps the demo and its passwords; --fresh replaces it."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from accounts.roles import INSPECTOR
from casefiles.models import Answer, Examination, Inspection
from casefiles.services import answer_save
from sampling.plan import DEFAULT_PLAN, load_plan_file
from tests.conftest import make_case_file, make_user

DEMO_SLUG = load_plan_file(DEFAULT_PLAN).code  # the demo is the shipped plan's inspection


@pytest.fixture
def existing_demo(db, mini_question_set):
    """A demo as a user left it: an inspection with the demo's slug and an answer made in it."""
    inspection = Inspection.objects.create(slug=DEMO_SLUG, name="Demo", question_set=mini_question_set, plan={})
    inspector = make_user("inspector1", INSPECTOR)
    case_file = make_case_file(inspection, "52WS0009", assigned_to=inspector)
    examination = Examination.objects.create(case_file=case_file, examiner=inspector, question_set=mini_question_set)
    question = mini_question_set.questions.order_by("order").first()
    answer_save(
        examination=examination,
        question=question,
        value=question.options.first().code,
        comment="",
        user=inspector,
        expected_version=0,
    )
    return inspection


def _run(*args) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_it_keeps_the_demo_the_answers_and_the_passwords_when_the_demo_exists(existing_demo):
    output = _run("--if-missing")

    assert Inspection.objects.get(slug=DEMO_SLUG).pk == existing_demo.pk
    assert Answer.objects.filter(examination__case_file__inspection=existing_demo).count() == 1
    assert User.objects.get(username="inspector1").check_password("correct-horse-battery-staple")
    assert "kept as it was" in output and "keep their passwords" in output and "changepassword" in output
    assert "inspector1 " not in output  # its password is not reissued
    # accounts the demo needs and nobody had are created, each with a password printed once
    assert User.objects.filter(username__in=["lead", "qa", "writer", "admin"]).count() == 4
    assert "  lead " in output


def test_it_sets_every_password_when_one_is_given_and_keeps_the_data(existing_demo):
    output = _run("--if-missing", "--password", "a-new-password-9")

    assert Answer.objects.filter(examination__case_file__inspection=existing_demo).count() == 1
    assert User.objects.get(username="inspector1").check_password("a-new-password-9")
    assert User.objects.get(username="admin").check_password("a-new-password-9")
    assert "inspector1  a-new-password-9" in output


def test_it_refuses_fresh_and_if_missing_together(db):
    with pytest.raises(Exception, match="not allowed with"):
        call_command("load_demo", "--fresh", "--if-missing")


@pytest.mark.django_db
def test_fresh_replaces_the_demo_and_if_missing_then_keeps_the_new_one(existing_demo):
    _run("--fresh", "--password", "pw-one-two-3")

    demo = Inspection.objects.get(slug=DEMO_SLUG)
    assert demo.pk != existing_demo.pk and Inspection.objects.filter(slug=DEMO_SLUG).count() == 1
    assert not Answer.objects.filter(examination__case_file__urn="52WS0009").exists()
    answers = Answer.objects.filter(examination__case_file__inspection=demo).count()

    output = _run("--if-missing")
    assert Inspection.objects.get(slug=DEMO_SLUG).pk == demo.pk
    assert Answer.objects.filter(examination__case_file__inspection=demo).count() == answers
    assert User.objects.get(username="lead").check_password("pw-one-two-3")
    assert "(username / password)" not in output
