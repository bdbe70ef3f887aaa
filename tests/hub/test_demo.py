"""load_demo: one demo inspection, loaded once for this module (it is the slowest set-up in the
suite) inside a transaction rolled back at the end, so each test still starts from it unchanged."""

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from casefiles.models import Answer, Examination, QuestionSetAdoption
from hub.demo import load_demo
from quality.measures import dip_tables, exercise_tables
from quality.models import DipReview, Exercise
from questionset.loader import parse_question_set
from questionset.services import DEFAULT_QUESTION_SET


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo(seed=7, password="a-demo-password-1")
        transaction.set_rollback(True)


def test_load_demo_adopts_version_2_for_new_examinations_and_keeps_version_1_for_the_first_week(demo, db):
    inspection = demo.inspection
    current = inspection.question_set
    assert (current.code, current.number) == ("stalking-2026", 2)
    assert current.checksum == parse_question_set(DEFAULT_QUESTION_SET.read_text(encoding="utf-8")).checksum()
    adoption = QuestionSetAdoption.objects.get(inspection=inspection)
    assert (adoption.previous.number, adoption.question_set, adoption.adopted_by.username) == (1, current, "lead")
    primaries = Examination.objects.filter(case_file__inspection=inspection, kind=Examination.Kind.PRIMARY)
    on_v1, on_v2 = primaries.filter(question_set=adoption.previous), primaries.filter(question_set=current)
    assert 0 < on_v1.count() < on_v2.count()  # most files on version 2, some kept on version 1
    assert not on_v1.exclude(status=Examination.Status.SUBMITTED).exists()
    assert (
        max(e.submitted_at for e in on_v1)
        < adoption.adopted_at
        < min(e.submitted_at for e in on_v2.filter(status=Examination.Status.SUBMITTED))
    )
    assert adoption.previous.is_frozen and current.is_frozen
    v2_answers = Answer.objects.filter(examination__in=on_v2)
    assert v2_answers.filter(question__code="ND12").exists() and v2_answers.filter(question__code="FS11").exists()
    assert not v2_answers.filter(question__code="FS3", value__contains="none|").exists()
    assert not v2_answers.filter(question__code="FS3", value__endswith="|none").exists()
    assert (
        v2_answers.filter(question__code="LD2", value__in=["yes", "no", "na"]).count()
        == v2_answers.filter(question__code="LD2").count()
    )
    _the_demo_report_uses_version_2(inspection)


def _the_demo_report_uses_version_2(inspection) -> None:
    """The XLSX data sheet and the PDF's content read the adopted version's questions and labels."""
    import io

    from openpyxl import load_workbook

    from reports.render import pdf_html, render_xlsx

    parameters = {"questions": ["LD2", "LD7", "FS11", "ND12", "CP15"], "breakdowns": ["outcome"]}
    out = io.BytesIO()
    render_xlsx(inspection, parameters, out, lambda percent: None)
    rows = list(load_workbook(io.BytesIO(out.getvalue()), read_only=True)["data"].iter_rows(values_only=True))
    answers = {(r[0], r[3]): r[4] for r in rows[1:] if r[1] == "all"}
    assert {a for q, a in answers if q == "LD2"} == {"yes", "no", "na"}
    assert {a for q, a in answers if q == "ND12"} == {"yes", "no", "na"}
    assert answers[("ND12", "yes")] + answers[("ND12", "no")] > 0 and answers[("FS11", "pin")] > 0
    outcome_groups = {r[2] for r in rows[1:] if r[0] == "ND12" and r[1] == "outcome" and r[4]}
    assert outcome_groups == {"nfa"}  # asked of NFA files only
    page = pdf_html(inspection, parameters)
    assert "Did the victim ask for a review under the Victims" in page
    assert "Fully meeting the expected standard" in page and "Fully meets the required standard" not in page


def test_the_demo_has_reviews_in_every_state_and_an_exercise_with_results(demo, db, client):
    inspection = demo.inspection
    people = {u.username: u for u in User.objects.all()}

    statuses = set(DipReview.objects.values_list("status", flat=True))
    assert statuses == {"confirmed", "amended", "in_progress"}
    assert DipReview.objects.filter(examination__answers__changes__source="qa_amendment").exists()
    tables = dip_tables(inspection)
    assert tables.reviews >= 10 and 0 < tables.overall.disagreements < tables.overall.compared
    internal, external = Exercise.objects.get(kind="internal"), Exercise.objects.get(kind="external")
    results = exercise_tables(internal)
    assert len(results.participants) == 4 and results.submitted == 16
    assert any(row.result.fleiss is not None for row in results.questions)
    assert external.files.count() == 3

    client.force_login(people["qa"])
    for url in [
        f"/inspections/{inspection.slug}/quality/",
        f"/inspections/{inspection.slug}/quality/dip/",
        f"/exercises/{internal.pk}/results/",
    ]:
        assert client.get(url).status_code == 200, url
