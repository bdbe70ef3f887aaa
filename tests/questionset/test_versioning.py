"""Versions: the same file is the same version, an edited file the next one; a version
with answers is frozen; an examination keeps the version it started with."""

import pytest

from casefiles.models import Examination, QuestionSetAdoption
from casefiles.services import answer_save, examination_open, question_set_adopt
from questionset.loader import QuestionSetInvalid
from questionset.models import Option, Question, QuestionSet, QuestionSetFrozen, Section
from questionset.services import question_set_load, question_set_load_file
from tests.conftest import FIXTURES, make_case_file

from .conftest import GOOD_SET

EDITED = GOOD_SET.replace('version: "1.0"', 'version: "1.1"').replace("the correct charges?", "the right charges?")


def answer(examination, code: str, value: str, user) -> None:
    question = Question.objects.get(question_set=examination.question_set, code=code)
    answer_save(examination=examination, question=question, value=value, comment="", user=user, expected_version=0)


def test_the_same_file_loaded_twice_is_one_version(good_set):
    again = question_set_load(text=GOOD_SET)
    assert again.pk == good_set.pk
    assert QuestionSet.objects.filter(code="good").count() == 1
    assert Question.objects.filter(question_set__code="good").count() == 6


def test_a_file_differing_only_in_layout_is_the_same_version(good_set):
    assert question_set_load(text=GOOD_SET.replace("\n    sections:", "\n\n# comment\n    sections:")).pk == good_set.pk


def test_an_edited_file_becomes_the_next_version_and_the_old_one_is_unchanged(good_set, lead):
    edited = question_set_load(text=EDITED, filename="good-1.1.yaml", user=lead)
    assert (edited.number, edited.version_label, edited.filename, edited.loaded_by) == (2, "1.1", "good-1.1.yaml", lead)
    assert edited.questions.get(code="LD1").text == "Did the CPS select the right charges?"
    good_set.refresh_from_db()
    assert (good_set.number, good_set.version_label, good_set.source) == (1, "1.0", GOOD_SET)
    assert good_set.questions.get(code="LD1").text == "Did the CPS select the correct charges?"
    assert question_set_load(text=GOOD_SET).pk == good_set.pk  # the old file still names the old version


def test_an_invalid_file_stores_nothing(good_set):
    with pytest.raises(QuestionSetInvalid):
        question_set_load(text=EDITED.replace("type: date", "type: when"))
    assert QuestionSet.objects.count() == 1 and Question.objects.count() == 6


def test_a_version_with_an_answer_is_frozen(inspection, case_file, inspector):
    question_set = inspection.question_set
    assert not question_set.is_frozen
    examination = examination_open(case_file=case_file, examiner=inspector)
    answer(examination, "LD1", "fully_meets", inspector)
    assert question_set.is_frozen
    assert QuestionSet.objects.with_usage().get(pk=question_set.pk).answered


def test_a_frozen_version_refuses_every_change(inspection, case_file, inspector):
    examination = examination_open(case_file=case_file, examiner=inspector)
    answer(examination, "LD1", "fully_meets", inspector)
    question = Question.objects.get(question_set=inspection.question_set, code="LD1")
    question.text = "Changed in place"
    option = question.options.first()
    option.label = "Changed"
    section = Section.objects.get(question_set=inspection.question_set, code="VW")
    section.title = "Changed"
    question_set = QuestionSet.objects.get(pk=inspection.question_set.pk)
    question_set.title = "Changed"
    for row in (question, option, section, question_set):
        with pytest.raises(QuestionSetFrozen):
            row.save()
    with pytest.raises(QuestionSetFrozen):
        Option.objects.get(pk=option.pk).delete()
    assert Question.objects.get(pk=question.pk).text == "Did the CPS select the correct charges?"


def test_a_version_without_answers_may_still_be_corrected(good_set):
    question = good_set.questions.get(code="LD1")
    question.guidance = "Corrected."
    question.save()
    assert good_set.questions.get(code="LD1").guidance == "Corrected."


def test_an_examination_keeps_the_version_it_started_with(inspection, case_file, inspector, lead):
    v1 = inspection.question_set
    started = examination_open(case_file=case_file, examiner=inspector)
    answer(started, "LD1", "partially_meets", inspector)
    v2 = question_set_load(text=v1.source.replace('version: "1.0"', 'version: "2.0"'))
    question_set_adopt(inspection=inspection, question_set=v2, user=lead)
    assert v2.number == 2 and inspection.question_set == v2

    assert examination_open(case_file=case_file, examiner=inspector).question_set == v1  # reopened: still v1
    answer(started, "LD2", "yes", inspector)  # answers keep going to v1's questions
    assert set(started.answers.values_list("question__question_set", flat=True)) == {v1.pk}
    later_file = make_case_file(inspection, "52WS0002", assigned_to=inspector)
    assert examination_open(case_file=later_file, examiner=inspector).question_set == v2
    assert Examination.objects.get(pk=started.pk).question_set == v1


def test_adopting_a_version_is_recorded_and_adopting_it_again_does_nothing(inspection, lead, good_set):
    v1 = inspection.question_set
    assert question_set_load_file(path=FIXTURES / "mini-questionset.yaml") == v1
    v2 = question_set_load(text=v1.source.replace("Mini question set", "Mini question set, revised"))
    adoption = question_set_adopt(inspection=inspection, question_set=v2, user=lead)
    assert (adoption.previous, adoption.question_set, adoption.adopted_by) == (v1, v2, lead)
    assert question_set_adopt(inspection=inspection, question_set=v2, user=lead) is None
    assert QuestionSetAdoption.objects.count() == 1


def test_an_inspection_with_examinations_cannot_switch_to_a_different_set(
    inspection, case_file, inspector, lead, good_set
):
    examination_open(case_file=case_file, examiner=inspector)
    with pytest.raises(QuestionSetInvalid) as refused:
        question_set_adopt(inspection=inspection, question_set=good_set, user=lead)
    assert "use question set 'mini', not 'good'" in str(refused.value)
    inspection.refresh_from_db()
    assert inspection.question_set.code == "mini"
