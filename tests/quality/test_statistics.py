"""Agreement tables from stored reviews and exercises, checked against figures worked out
by hand; the dashboard, the exercise results page and the XLSX export that show them."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from casefiles.models import Examination
from quality.measures import dip_tables, exercise_tables
from quality.models import Exercise, ExerciseExamination
from quality.reviewing import Verdict
from quality.services import review_complete, review_start
from tests.conftest import make_case_file

from .conftest import examine


def reviewed(inspection, urn, inspector, qa_lead, answers, disagree=None, complete=True):
    case_file = make_case_file(inspection, urn, assigned_to=inspector, in_dip=True)
    primary = examine(case_file, inspector, answers)
    review = review_start(examination=primary, reviewer=qa_lead, blind=False)
    verdicts = {
        code: Verdict(agrees=False, qa_value=value, reason="Reason.", amend=False)
        for code, value in (disagree or {}).items()
    }
    if complete:
        review_complete(review=review, user=qa_lead, verdicts=verdicts)
    return review


@pytest.fixture
def few_files_flag(settings):
    """These examples have a handful of files: let them be flagged (the default needs 10)."""
    settings.QA_MIN_FILES_TO_FLAG = 1


@pytest.fixture
def dip_data(inspection, inspector, colleague, qa_lead):
    """VW1 pairs (inspector, QA): inspector1 yes/yes, yes/yes, no/no, yes/no; inspector2 no/no, yes/yes.
    LD1 always fully meets on both sides. VW2 (a number): 12/14 and 5/5, both inspector1's."""
    ok = "fully_meets"
    reviewed(inspection, "F1", inspector, qa_lead, {"LD1": ok, "VW1": "yes", "VW2": "12"}, {"VW2": "14"})
    reviewed(inspection, "F2", inspector, qa_lead, {"LD1": ok, "VW1": "yes", "VW2": "5"})
    reviewed(inspection, "F3", inspector, qa_lead, {"LD1": ok, "VW1": "no"})
    reviewed(inspection, "F4", inspector, qa_lead, {"LD1": ok, "VW1": "yes"}, {"VW1": "no"})
    reviewed(inspection, "F5", colleague, qa_lead, {"LD1": ok, "VW1": "no"})
    reviewed(inspection, "F6", colleague, qa_lead, {"LD1": ok, "VW1": "yes"})
    # In progress: not counted.
    reviewed(inspection, "F7", colleague, qa_lead, {"LD1": ok, "VW1": "yes"}, {"VW1": "no"}, complete=False)


def test_dip_agreement_per_question(dip_data, inspection, few_files_flag):
    tables = dip_tables(inspection)
    rows = {r.question.code: r for r in tables.questions}
    assert list(rows) == ["LD1", "VW1", "VW2"]
    vw1 = rows["VW1"]
    # p_o = 5/6; inspector 4 yes 2 no, QA 3 yes 3 no: p_e = (4·3 + 2·3)/36 = 0.5; kappa = (5/6 − 0.5)/0.5.
    assert (vw1.result.n, vw1.result.agreed) == (6, 5)
    assert vw1.kappa == pytest.approx(2 / 3)
    assert not vw1.flagged  # 83% and 0.67
    ld1 = rows["LD1"]
    assert ld1.result.percent == 100 and ld1.kappa is None and not ld1.flagged
    vw2 = rows["VW2"]
    assert vw2.result.percent == 50 and vw2.kappa is None and vw2.flagged  # numbers: agreement only
    assert [r.question.code for r in tables.flagged] == ["VW2"]
    assert tables.reviews == 6


def test_dip_agreement_per_inspector_and_section(dip_data, inspection):
    tables = dip_tables(inspection)
    by_inspector = {r.key: r for r in tables.inspectors}
    first, second = by_inspector["inspector1"], by_inspector["inspector2"]
    assert (first.reviews, first.compared, first.disagreements) == (4, 10, 2)
    assert first.disagreement_rate == pytest.approx(20.0)
    # Pooled over LD1 (4 pairs, p_e 1) and VW1 (4 pairs, p_e 0.5): p_o 7/8, p_e 0.75, kappa 0.5.
    assert first.kappa == pytest.approx(0.5)
    assert (second.reviews, second.compared, second.disagreements, second.kappa) == (2, 4, 0, pytest.approx(1.0))
    sections = {r.key: (r.compared, r.disagreements) for r in tables.sections}
    assert sections == {"LD": (6, 0), "VW": (8, 2)}
    assert (tables.overall.compared, tables.overall.disagreements) == (14, 2)


@pytest.fixture
def exercise_data(inspection, inspector, colleague, lead):
    exercise = Exercise.objects.create(
        inspection=inspection,
        name="Check",
        closes_on=timezone.localdate() + datetime.timedelta(days=1),
        created_by=lead,
    )
    answers = {
        "E1": [
            (inspector, {"LD1": "fully_meets", "VW1": "yes"}),
            (colleague, {"LD1": "fully_meets", "VW1": "no"}),
            (lead, {"LD1": "partially_meets", "LD2": "yes", "VW1": "na"}),
        ],
        "E2": [
            (inspector, {"LD1": "fully_meets", "VW1": "yes"}),
            (colleague, {"LD1": "fully_meets", "VW1": "yes"}),
            (lead, {"LD1": "fully_meets", "VW1": "yes"}),
        ],
    }
    for urn, given in answers.items():
        case_file = make_case_file(inspection, urn)
        exercise.files.add(case_file)
        for person, values in given:
            examination = examine(case_file, person, values, kind=Examination.Kind.CONSISTENCY)
            ExerciseExamination.objects.create(exercise=exercise, examination=examination)
    # An unsubmitted examination does not count.
    late = examine(make_case_file(inspection, "E3"), inspector, {"LD1": "na"}, kind="consistency", submit=False)
    ExerciseExamination.objects.create(exercise=exercise, examination=late)
    return exercise


def test_exercise_agreement_per_question(exercise_data, few_files_flag):
    tables = exercise_tables(exercise_data)
    rows = {r.question.code: r.result for r in tables.questions}
    assert tables.submitted == 6
    # LD1: file E1 has 1 agreeing pair of 3, E2 all 3 → P̄ = (1/3 + 1)/2.
    assert rows["LD1"].percent == pytest.approx(100 * (1 / 3 + 1) / 2)
    assert rows["LD1"].units == 2 and rows["LD1"].all_agree == 1
    # Fleiss by hand: categories fm 5, pm 1 of 6; P̄e = (5/6)² + (1/6)² = 26/36; P̄ = 2/3.
    assert rows["LD1"].fleiss == pytest.approx((2 / 3 - 26 / 36) / (1 - 26 / 36))
    assert rows["VW1"].percent == pytest.approx(50.0)
    assert rows["LD2"].units == 0 and rows["LD2"].percent is None  # one rating only
    assert {r.question.code for r in tables.flagged} == {"LD1", "VW1"}


def test_the_grid_shows_who_answered_what(exercise_data):
    tables = exercise_tables(exercise_data)
    assert [name for _, name in tables.participants] == ["Inspector1", "Inspector2", "Lead"]
    grid = {g.urn: g for g in tables.grids}
    assert list(grid) == ["E1", "E2"]
    e1 = {row.question.code: row.cells for row in grid["E1"].rows}
    assert [(c.label, c.differs) for c in e1["LD1"]] == [
        ("Fully meets the required standard", False),
        ("Fully meets the required standard", False),
        ("Partially meets the required standard", True),
    ]
    assert all(c.differs for c in e1["VW1"])  # no single most common answer
    assert [c.value for c in e1["LD2"]] == ["", "", "yes"] and not any(c.differs for c in e1["LD2"])
    assert grid["E1"].disagreements == 2 and grid["E2"].disagreements == 0


def test_the_exercise_results_page(client, exercise_data, qa_lead, lead, inspector, few_files_flag):
    url = reverse("quality:exercise_results", args=[exercise_data.pk])
    for user in (qa_lead, lead):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "Agreement per question" in page and "Needs clearer guidance" in page
        assert 'id="grid-E1"' in page and "app-cell--differs" in page
    client.force_login(inspector)  # a participant does not see the others' answers
    assert client.get(url).status_code == 403


def test_the_dashboard_shows_progress_rates_and_flags(
    client, dip_data, exercise_data, qa_lead, inspection, few_files_flag
):
    client.force_login(qa_lead)
    page = client.get(reverse("quality:dashboard", args=[inspection.slug])).content.decode()
    assert '6</span> <span class="app-figure__label">reviews completed of the 2 needed' in page
    assert "20.0% (2)" in page  # inspector1's disagreement rate
    flagged = page.split('id="flagged-questions"')[1].split("</table>")[0]
    assert "VW2" in flagged and "LD1" in flagged and "Check" in flagged


@pytest.mark.parametrize("persona", ["inspector", "lead", "writer", "outsider"])
def test_the_dashboard_and_export_are_for_the_qa_lead(client, request, persona, inspection):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("quality:dashboard", args=[inspection.slug])).status_code == 403
    assert client.get(reverse("quality:export", args=[inspection.slug])).status_code == 403


def test_the_xlsx_export_holds_every_agreement_table(
    client, dip_data, exercise_data, qa_lead, inspection, few_files_flag
):
    client.force_login(qa_lead)
    response = client.get(reverse("quality:export", args=[inspection.slug]))
    assert response["Content-Disposition"] == 'attachment; filename="OFFICIAL-SENSITIVE_test-inspection-agreement.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "contents",
        "dip by question",
        "dip by inspector",
        "dip by section",
        "exercise 1 questions",
        "exercise 1 answers",
    ]
    for sheet in workbook.worksheets:
        assert sheet["A1"].value == "OFFICIAL-SENSITIVE"
    questions = {r[0]: r for r in workbook["dip by question"].iter_rows(min_row=4, values_only=True)}
    assert questions["VW1"][3:8] == (6, 5, 83.3, 0.667, None)
    assert questions["VW2"][8] == "yes"
    inspectors = {r[0]: r for r in workbook["dip by inspector"].iter_rows(min_row=4, values_only=True)}
    assert inspectors["inspector1"][2:8] == (4, 10, 2, 80.0, 20.0, 0.5)
    exercise = {r[0]: r for r in workbook["exercise 1 questions"].iter_rows(min_row=4, values_only=True)}
    assert exercise["VW1"][5] == 50.0 and exercise["LD1"][11] == "yes"
    answers = list(workbook["exercise 1 answers"].iter_rows(min_row=4, values_only=True))
    # the option's label beside its stable code, so a reader needs no codebook
    assert ("E1", "Wessex", "LD1", "Lead", "partially_meets", "Partially meets the required standard", "yes") in answers


def test_every_sheet_of_the_agreement_workbook_is_marked_and_listed_with_a_link(
    client, dip_data, exercise_data, qa_lead, inspection
):
    client.force_login(qa_lead)
    workbook = load_workbook(io.BytesIO(client.get(reverse("quality:export", args=[inspection.slug])).content))
    for sheet in workbook.worksheets:
        assert sheet["A1"].value == "OFFICIAL-SENSITIVE", sheet.title
        assert sheet.oddHeader.center.text == sheet.oddFooter.center.text == "OFFICIAL-SENSITIVE", sheet.title
    links = {c.value: c.hyperlink.location for c in workbook["contents"]["A"] if c.hyperlink}
    assert links == {name: f"'{name}'!A1" for name in workbook.sheetnames[1:]}
    assert workbook["dip by question"].freeze_panes == "A4"
