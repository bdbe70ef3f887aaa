"""The stalking inspection's question set, as shipped: it loads, its size is right, and
every question traces to a criterion of the scope's section F."""

from collections import Counter
from pathlib import Path

import pytest

from questionset.loader import parse_question_set
from questionset.models import Question

from .conftest import SHIPPED

# Section F of the inspection scope (seeds/002), sub-question by sub-question. The one
# unnumbered sub-question under File submission ("Are the correct stalking offences being
# identified by the police as the most appropriate potential charges?") is labelled
# "File submission (identification of stalking)"; Case progression has a single question.
SCOPE_CRITERIA = {
    "File submission i",
    "File submission (identification of stalking)",
    *(f"Legal decisions {n}" for n in ("i", "ii", "iii", "iv", "v", "vi", "vii")),
    "Case progression",
    *(f"Victims and witnesses {n}" for n in ("i", "ii", "iii", "iv", "v", "vi")),
    "Court services i",
    "Court services ii",
    "Partnership working i",
    "Partnership working ii",
    "Quality assurance/training i",
    "Quality assurance/training ii",
}
# Strategic criteria, assessed through fieldwork rather than case files.
NOT_FROM_FILES = {
    "Partnership working i",
    "Partnership working ii",
    "Quality assurance/training i",
    "Quality assurance/training ii",
}


@pytest.fixture(scope="module")
def spec():
    return parse_question_set(Path(SHIPPED).read_text(encoding="utf-8"))


def test_it_has_between_50_and_90_questions_in_sections(spec):
    assert 50 <= len(spec.questions) <= 90
    assert len(spec.sections) >= 5 and all(section.questions for section in spec.sections)


def test_every_question_traces_to_a_criterion_of_the_scope(spec):
    untraced = {q.code: q.criterion for q in spec.questions if q.criterion not in SCOPE_CRITERIA}
    assert not untraced
    assert set(spec.criteria) <= SCOPE_CRITERIA


def test_every_criterion_that_files_can_show_has_questions(spec):
    counts = Counter(q.criterion for q in spec.questions)
    assert {c for c in SCOPE_CRITERIA - NOT_FROM_FILES if counts[c] == 0} == set()


def test_every_question_has_guidance_and_choice_questions_offer_not_applicable(spec):
    assert [q.code for q in spec.questions if len(q.guidance) < 80] == []
    assert [
        q.code for q in spec.questions if q.answer_type == "choice" and "na" not in {o.code for o in q.options}
    ] == []


def test_it_uses_every_answer_type_and_rules_of_both_kinds(spec):
    assert {q.answer_type for q in spec.questions} == {"choice", "multi", "number", "date", "text"}
    assert any("answers" in q.applies_when for q in spec.questions)
    assert {k for q in spec.questions for k in q.applies_when} >= {
        "outcome",
        "court",
        "category",
        "domestic_abuse",
        "vrr",
    }


def test_it_loads_into_the_database_with_every_question_and_option(shipped_set, spec):
    assert shipped_set.code == "stalking-2026" and shipped_set.number == 1
    assert shipped_set.questions.count() == len(spec.questions)
    assert list(shipped_set.sections.values_list("code", flat=True)) == [s.code for s in spec.sections]
    ld7 = Question.objects.get(question_set=shipped_set, code="LD7")
    assert [o.code for o in ld7.options.all()] == ["fully_meets", "partially_meets", "not_meets", "na"]
    assert shipped_set.criteria == spec.criteria


@pytest.mark.django_db
def test_load_demo_uses_the_shipped_set():
    from casefiles.demo import load_demo

    inspection = load_demo(seed=7, password="a-demo-password-1").inspection
    assert inspection.question_set.code == "stalking-2026"
    assert inspection.question_set.checksum == parse_question_set(Path(SHIPPED).read_text()).checksum()
    assert inspection.question_set.is_frozen  # the demo has answers against it
