"""Replacing an unavailable file: the next reserve by rank of the same Area and stratum
takes its place, its inspector and its dip-sample membership; the history is kept."""

import pytest

from casefiles.models import Answer, CaseFile, Examination
from sampling.models import SampleEvent
from sampling.services import SamplingError, case_file_replace


def a_sampled_file(inspection, area: str = "Wessex", stratum: str = "stalking_crown") -> CaseFile:
    return CaseFile.objects.filter(inspection=inspection, area__name=area, stratum=stratum).in_sample().first()


def reserves_of(case_file: CaseFile) -> list[CaseFile]:
    return list(
        CaseFile.objects.filter(
            inspection=case_file.inspection, area=case_file.area, stratum=case_file.stratum, role="reserve"
        ).order_by("reserve_rank")
    )


def test_the_first_reserve_of_the_same_area_and_stratum_takes_the_files_place(drawn_inspection, lead, inspector):
    gone = a_sampled_file(drawn_inspection)
    CaseFile.objects.filter(pk=gone.pk).update(assigned_to=inspector, in_dip=True)
    first, second, _ = reserves_of(gone)
    taken = case_file_replace(case_file=gone, reason="File destroyed under the retention policy", user=lead)
    assert taken == first
    taken.refresh_from_db()
    gone.refresh_from_db()
    assert (taken.role, taken.replaces, taken.assigned_to, taken.in_dip) == ("sample", gone, inspector, True)
    assert gone.unavailable_reason == "File destroyed under the retention policy" and not gone.in_dip
    assert CaseFile.objects.filter(inspection=drawn_inspection).in_sample().count() == 350
    event = SampleEvent.objects.get(kind="replaced")
    assert (event.case_file, event.other_file, event.by, event.reason) == (
        gone,
        first,
        lead,
        "File destroyed under the retention policy",
    )
    second.refresh_from_db()
    assert second.role == "reserve"


def test_a_second_replacement_in_the_cell_takes_the_next_reserve(drawn_inspection, lead):
    cell = CaseFile.objects.filter(inspection=drawn_inspection, area__name="Wessex", stratum="stalking_crown")
    one, two = cell.in_sample()[:2]
    ranked = reserves_of(one)
    assert case_file_replace(case_file=one, reason="Lost", user=lead) == ranked[0]
    assert case_file_replace(case_file=two, reason="Lost", user=lead) == ranked[1]
    assert SampleEvent.objects.filter(kind="replaced").count() == 2


def test_a_replacement_can_itself_be_replaced(drawn_inspection, lead):
    gone = a_sampled_file(drawn_inspection)
    ranked = reserves_of(gone)
    taken = case_file_replace(case_file=gone, reason="Lost", user=lead)
    assert case_file_replace(case_file=taken, reason="Also lost", user=lead) == ranked[1]


def test_it_refuses_without_a_reason_and_changes_nothing(drawn_inspection, lead):
    gone = a_sampled_file(drawn_inspection)
    with pytest.raises(SamplingError, match="Give the reason"):
        case_file_replace(case_file=gone, reason="   ", user=lead)
    gone.refresh_from_db()
    assert gone.unavailable_reason == "" and not SampleEvent.objects.exists()
    assert CaseFile.objects.filter(inspection=drawn_inspection, role="reserve").count() == 294


def test_it_refuses_when_no_reserve_is_left_and_keeps_the_file(drawn_inspection, lead):
    files = list(CaseFile.objects.filter(inspection=drawn_inspection, area__name="Wessex", stratum="breach_crown"))
    cell = [f for f in files if f.role == "sample"]
    assert len(cell) == 1
    current = cell[0]
    for _ in range(3):
        current = case_file_replace(case_file=current, reason="Lost", user=lead)
    with pytest.raises(SamplingError, match="No reserve is left for CPS Wessex, Breach of protective order charged"):
        case_file_replace(case_file=current, reason="Lost", user=lead)
    current.refresh_from_db()
    assert current.unavailable_reason == "" and current.role == "sample"
    assert SampleEvent.objects.filter(kind="replaced").count() == 3


def test_it_refuses_to_replace_a_reserve_or_a_file_already_replaced(drawn_inspection, lead):
    gone = a_sampled_file(drawn_inspection)
    reserve = reserves_of(gone)[-1]
    with pytest.raises(SamplingError, match="is not a file in the sample"):
        case_file_replace(case_file=reserve, reason="Lost", user=lead)
    case_file_replace(case_file=gone, reason="Lost", user=lead)
    with pytest.raises(SamplingError, match="is not a file in the sample"):
        case_file_replace(case_file=gone, reason="Lost again", user=lead)


def test_it_refuses_to_replace_a_file_with_answers(drawn_inspection, lead, inspector, mini_question_set):
    gone = a_sampled_file(drawn_inspection)
    examination = Examination.objects.create(case_file=gone, examiner=inspector, question_set=mini_question_set)
    Answer.objects.create(
        examination=examination, question=mini_question_set.questions.first(), value="yes", updated_by=inspector
    )
    with pytest.raises(SamplingError, match="already has answers"):
        case_file_replace(case_file=gone, reason="Lost", user=lead)
    gone.refresh_from_db()
    assert gone.unavailable_reason == ""
