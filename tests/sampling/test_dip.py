"""The dip sample: at least P% of the sampled files, rounded up, spread across Areas and
inspectors; a top-up never removes a file; added by hand; removed with a reason before QA."""

from collections import Counter

import pytest
from django.contrib.auth.models import User

from casefiles.models import CaseFile, Examination
from sampling.draw import DipCandidate, dip_target, pick_dip
from sampling.models import SampleEvent
from sampling.services import SamplingError, dip_sample_add, dip_sample_draw, dip_sample_remove


def in_sample(inspection):
    return CaseFile.objects.filter(inspection=inspection).in_sample()


def dipped(inspection):
    return in_sample(inspection).filter(in_dip=True)


@pytest.fixture
def assigned_inspection(drawn_inspection):
    """The drawn sample dealt round-robin to four inspectors, by Area and stratum."""
    inspectors = [User.objects.create_user(f"examiner{n}") for n in range(1, 5)]
    for i, pk in enumerate(in_sample(drawn_inspection).order_by("area__name", "stratum", "urn").values_list("pk")):
        CaseFile.objects.filter(pk=pk[0]).update(assigned_to=inspectors[i % 4])
    return drawn_inspection


@pytest.mark.parametrize(
    ("size", "percent", "target"), [(350, 15, 53), (100, 15, 15), (1, 15, 1), (7, 50, 4), (20, 5, 1)]
)
def test_the_target_is_the_percentage_rounded_up(size, percent, target):
    assert dip_target(size, percent) == target


def test_it_draws_53_of_350_at_15_percent_spread_across_areas_and_inspectors(assigned_inspection, lead):
    added = dip_sample_draw(inspection=assigned_inspection, percent=15, seed=4, user=lead)
    assert len(added) == dipped(assigned_inspection).count() == 53
    by_area = Counter(dipped(assigned_inspection).values_list("area__name", flat=True))
    assert len(by_area) == 14 and set(by_area.values()) <= {3, 4}
    by_inspector = Counter(dipped(assigned_inspection).values_list("assigned_to__username", flat=True))
    assert sorted(by_inspector.values()) == [13, 13, 13, 14]
    events = SampleEvent.objects.filter(kind="dip_drawn")
    assert events.count() == 53 and {e.reason for e in events} == {"15% draw, seed 4"}
    assert {e.by for e in events} == {lead}


def test_running_it_again_adds_nothing_and_a_lower_percent_removes_nothing(assigned_inspection):
    first = set(dip_sample_draw(inspection=assigned_inspection, percent=15, seed=4))
    assert dip_sample_draw(inspection=assigned_inspection, percent=15, seed=99) == []
    assert dip_sample_draw(inspection=assigned_inspection, percent=5, seed=4) == []
    assert set(dipped(assigned_inspection)) == first


def test_a_higher_percent_tops_up_keeping_every_file_already_in(assigned_inspection):
    first = set(dipped(assigned_inspection)) | set(dip_sample_draw(inspection=assigned_inspection, percent=15, seed=4))
    added = dip_sample_draw(inspection=assigned_inspection, percent=20, seed=5)
    assert len(added) == 70 - 53
    assert first < set(dipped(assigned_inspection))
    assert dipped(assigned_inspection).count() == 70


def test_a_top_up_after_hand_changes_reaches_the_target_exactly(assigned_inspection, lead):
    for f in in_sample(assigned_inspection)[:10]:
        dip_sample_add(case_file=f, user=lead)
    added = dip_sample_draw(inspection=assigned_inspection, percent=15, seed=4)
    assert len(added) == 43 and dipped(assigned_inspection).count() == 53


def test_the_same_sample_and_seed_pick_the_same_files():
    files = [DipCandidate(i, f"U{i:04d}", i % 14, i % 4, False) for i in range(350)]
    assert pick_dip(files, 15, seed=3) == pick_dip(list(reversed(files)), 15, seed=3)
    assert pick_dip(files, 15, seed=3) != pick_dip(files, 15, seed=4)


def test_unassigned_files_are_spread_across_areas(drawn_inspection):
    dip_sample_draw(inspection=drawn_inspection, percent=15, seed=1)
    by_area = Counter(dipped(drawn_inspection).values_list("area_id", flat=True))
    assert set(by_area.values()) <= {3, 4} and sum(by_area.values()) == 53


def test_it_refuses_a_percentage_out_of_range_or_before_the_draw(framed_inspection):
    with pytest.raises(SamplingError, match="above 0 and at most 100"):
        dip_sample_draw(inspection=framed_inspection, percent=0, seed=1)
    with pytest.raises(SamplingError, match="Draw the sample before the dip sample"):
        dip_sample_draw(inspection=framed_inspection, percent=15, seed=1)


def test_the_lead_adds_a_file_by_hand(drawn_inspection, lead):
    case_file = in_sample(drawn_inspection).first()
    dip_sample_add(case_file=case_file, user=lead, reason="Complex case")
    case_file.refresh_from_db()
    assert case_file.in_dip
    event = SampleEvent.objects.get(kind="dip_added")
    assert (event.case_file, event.by, event.reason) == (case_file, lead, "Complex case")
    with pytest.raises(SamplingError, match="already in the dip sample"):
        dip_sample_add(case_file=case_file, user=lead)


def test_a_reserve_cannot_join_the_dip_sample(drawn_inspection, lead):
    reserve = CaseFile.objects.filter(inspection=drawn_inspection, role="reserve").first()
    with pytest.raises(SamplingError, match="is not a file in the sample"):
        dip_sample_add(case_file=reserve, user=lead)
    reserve.refresh_from_db()
    assert not reserve.in_dip and not SampleEvent.objects.exists()


def test_the_lead_removes_a_file_with_a_reason_before_qa_starts(drawn_inspection, lead):
    dip_sample_draw(inspection=drawn_inspection, percent=15, seed=1)
    case_file = dipped(drawn_inspection).first()
    with pytest.raises(SamplingError, match="Give the reason"):
        dip_sample_remove(case_file=case_file, user=lead, reason=" ")
    dip_sample_remove(case_file=case_file, user=lead, reason="Examined by the QA lead herself")
    case_file.refresh_from_db()
    assert not case_file.in_dip
    event = SampleEvent.objects.get(kind="dip_removed")
    assert (event.case_file, event.reason) == (case_file, "Examined by the QA lead herself")
    with pytest.raises(SamplingError, match="is not in the dip sample"):
        dip_sample_remove(case_file=case_file, user=lead, reason="Again")


def test_a_file_cannot_leave_the_dip_sample_once_qa_has_started(drawn_inspection, lead, qa_lead, mini_question_set):
    dip_sample_draw(inspection=drawn_inspection, percent=15, seed=1)
    case_file = dipped(drawn_inspection).first()
    Examination.objects.create(case_file=case_file, kind="dip", examiner=qa_lead, question_set=mini_question_set)
    with pytest.raises(SamplingError, match="Quality assurance of .* has started"):
        dip_sample_remove(case_file=case_file, user=lead, reason="Changed my mind")
    case_file.refresh_from_db()
    assert case_file.in_dip and not SampleEvent.objects.filter(kind="dip_removed").exists()


def test_a_top_up_does_not_put_back_a_file_removed_by_hand(drawn_inspection, lead):
    dip_sample_draw(inspection=drawn_inspection, percent=15, seed=1)
    removed = dipped(drawn_inspection).first()
    dip_sample_remove(case_file=removed, user=lead, reason="Conflict of interest")
    added = dip_sample_draw(inspection=drawn_inspection, percent=15, seed=1)
    assert len(added) == 1 and removed not in added
    assert dipped(drawn_inspection).count() == 53
