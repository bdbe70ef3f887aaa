"""Fixtures for quality assurance: files in the dip sample with submitted examinations, and
the browser sign-in (conftest fixtures do not cross folders, so it is copied here)."""

import pytest
from django.urls import reverse

from casefiles.models import Examination
from casefiles.services import answer_save, examination_open, examination_submit
from questionset.models import Question
from tests.conftest import make_case_file


def examine(
    case_file,
    user,
    answers: dict[str, tuple[str, str] | str],
    kind: str = Examination.Kind.PRIMARY,
    submit: bool = True,
) -> Examination:
    """Answer (code → value or (value, comment)) and submit, through the examination services."""
    examination = examination_open(case_file=case_file, examiner=user, kind=kind)
    for code, given in answers.items():
        value, comment = given if isinstance(given, tuple) else (given, "")
        question = Question.objects.get(question_set=examination.question_set, code=code)
        answer_save(
            examination=examination, question=question, value=value, comment=comment, user=user, expected_version=None
        )
    if submit:
        examination_submit(examination=examination, user=user)
    return examination


@pytest.fixture
def dip_file(inspection, inspector):
    """A Crown Court stalking file in the dip sample, its examination submitted by inspector1."""
    case_file = make_case_file(inspection, "52WS0001", assigned_to=inspector, in_dip=True)
    examine(
        case_file, inspector, {"LD1": ("fully_meets", "Right charge."), "VW1": "yes", "VW3": "following|contacting"}
    )
    return case_file


def review_url(name: str, case_file) -> str:
    return reverse(name, args=[case_file.inspection.slug, case_file.urn])


@pytest.fixture
def sign_in(page, live_server):
    def _sign_in(username: str, password: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()

    return _sign_in


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, as tests/browser/conftest.py launches it."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
        ],
    }


@pytest.fixture
def open_reviews(inspection, qa_lead):
    """The QA lead has chosen open (not blind) dip reviews for the inspection."""
    from quality.services import review_policy_set

    return review_policy_set(inspection=inspection, blind=False, user=qa_lead)
