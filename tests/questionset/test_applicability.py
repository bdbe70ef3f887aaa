"""Which questions of the shipped stalking set (the current version, 2) apply to which file,
and the follow-ups that earlier answers open (questionset.rules.applicable_codes, as the
examination uses it)."""

from pathlib import Path

import pytest

from questionset.loader import parse_question_set
from questionset.rules import applicable_codes, question_applies

from .conftest import SHIPPED, SHIPPED_V1

NFA = {"outcome": "nfa", "court": "", "category": "stalking", "domestic_abuse": "no", "vrr": "no"}
CROWN_CHARGED_DA = {
    "outcome": "charged",
    "court": "crown",
    "category": "stalking",
    "domestic_abuse": "yes",
    "vrr": "no",
}
MAGISTRATES_CHARGED = {**CROWN_CHARGED_DA, "court": "magistrates", "domestic_abuse": "no"}


@pytest.fixture(scope="module")
def questions():
    return parse_question_set(Path(SHIPPED).read_text(encoding="utf-8")).questions


def applicable(questions, attributes, answers=None) -> list[str]:
    codes = applicable_codes(questions, attributes, answers or {})
    return [q.code for q in questions if q.code in codes]


def test_an_nfa_stalking_file_gets_the_file_submission_charging_guidance_and_nfa_questions(questions):
    assert applicable(questions, NFA) == [
        "FS1", "FS2", "FS11", "FS3", "FS12", "FS13", "FS4", "FS5", "FS7", "FS8", "FS10",
        "LD12", "LD13", "LD14", "LD17", "LD18", "LD19",
        "ND1", "ND2", "ND3", "ND4", "ND5", "ND7", "ND8", "ND12",
        "CP1", "CP2", "CP3", "CP4", "CP14", "CP15",
        "VW12",
    ]  # fmt: skip


def test_a_crown_court_charged_domestic_abuse_file_gets_the_charged_crown_and_da_questions(questions):
    assert applicable(questions, CROWN_CHARGED_DA) == [
        "FS1", "FS2", "FS11", "FS3", "FS12", "FS13", "FS4", "FS5", "FS7", "FS8", "FS9", "FS10",
        "LD1", "LD2", "LD4", "LD5", "LD7", "LD12", "LD13", "LD14", "LD15", "LD16", "LD17", "LD18", "LD19",
        "LD20", "LD21",
        "CP1", "CP2", "CP3", "CP4", "CP5", "CP6", "CP7", "CP8", "CP11", "CP14", "CP15",
        "RV1", "RV3", "RV5", "RV7",
        "VW1", "VW4", "VW5", "VW10", "VW11", "VW12", "VW13",
    ]  # fmt: skip


def test_the_nfa_and_crown_court_files_differ_as_their_cases_do(questions):
    nfa, crown = set(applicable(questions, NFA)), set(applicable(questions, CROWN_CHARGED_DA))
    assert {"ND1", "ND3", "ND8"} <= nfa - crown  # decisions not to charge
    assert {"LD1", "LD7", "CP5", "CP8", "VW5"} <= crown - nfa  # charging, conclusion, PTPH, bail
    assert {"FS9", "LD15", "VW11"} <= crown - nfa  # domestic abuse only
    magistrates = set(applicable(questions, MAGISTRATES_CHARGED))
    assert "CP8" not in magistrates  # PTPH and indictment: Crown Court only
    assert crown - magistrates == {"CP8", "FS9", "LD15", "VW11"}


def test_breach_of_order_questions_apply_only_to_breach_files(questions):
    breach = {**MAGISTRATES_CHARGED, "category": "breach_of_order"}
    assert {"LD10", "LD11"} <= set(applicable(questions, breach))
    assert not {"LD10", "LD11"} & set(applicable(questions, MAGISTRATES_CHARGED))


VRR_FOLLOW_UPS = {"ND9", "ND13", "ND10"}  # outcome, timescales, quality of the review


@pytest.mark.parametrize("category", ["stalking", "harassment", "breach_of_order"])
@pytest.mark.parametrize("vrr", ["no", "yes"])
def test_every_nfa_file_is_asked_whether_the_victim_asked_for_a_vrr(questions, category, vrr):
    # Not only the files the frame marks as re-opened after a successful review.
    assert "ND12" in applicable(questions, {**NFA, "category": category, "vrr": vrr})


@pytest.mark.parametrize("attributes", [CROWN_CHARGED_DA, MAGISTRATES_CHARGED, {**CROWN_CHARGED_DA, "vrr": "yes"}])
def test_no_vrr_question_applies_to_a_charged_file_whatever_is_answered(questions, attributes):
    answers = {"ND12": "yes", "ND9": "overturned"}  # stale answers must not open them either
    assert not {"ND9", "ND10", "ND11", "ND12", "ND13"} & set(applicable(questions, attributes, answers))


def test_a_vrr_request_opens_its_outcome_timescales_and_review_and_an_overturned_one_its_reopening(questions):
    assert not VRR_FOLLOW_UPS & set(applicable(questions, NFA, {"ND12": "no"}))
    asked = set(applicable(questions, NFA, {"ND12": "yes"}))
    assert asked >= VRR_FOLLOW_UPS and "ND11" not in asked
    for unsuccessful in ("upheld", "withdrawn", "not_accepted", "not_known"):
        assert "ND11" not in applicable(questions, NFA, {"ND12": "yes", "ND9": unsuccessful})
    assert "ND11" in applicable(questions, NFA, {"ND12": "yes", "ND9": "overturned"})
    assert "ND11" not in applicable(questions, NFA, {"ND12": "no", "ND9": "overturned"})  # ND9 did not apply


def test_version_1_asked_about_vrr_only_of_files_reopened_after_a_successful_review():
    v1 = parse_question_set(Path(SHIPPED_V1).read_text(encoding="utf-8")).questions
    assert not {"ND9", "ND10", "ND12"} & set(applicable(v1, NFA))
    assert {"ND9", "ND10"} <= set(applicable(v1, {**NFA, "vrr": "yes"}))


@pytest.mark.parametrize("attributes", [NFA, CROWN_CHARGED_DA, MAGISTRATES_CHARGED])
def test_every_file_records_pins_the_course_of_conduct_as_figures_and_cms_flags(questions, attributes):
    assert {"FS11", "FS12", "FS13", "CP15"} <= set(applicable(questions, attributes))


@pytest.mark.parametrize(
    ("answers", "opened", "still_closed"),
    [
        ({"LD1": "threshold_test"}, {"LD3"}, set()),
        ({"LD1": "full_code_test"}, set(), {"LD3"}),
        ({"LD7": "partially_meets"}, {"LD8", "LD9"}, set()),
        ({"LD7": "fully_meets"}, set(), {"LD8", "LD9"}),
        ({"LD5": "downgraded"}, {"LD6"}, set()),
        ({"CP6": "yes"}, {"CP9", "CP10", "CP13", "VW2", "VW3", "VW16", "CS1", "CS2", "CS3"}, set()),
        ({"CP6": "no"}, set(), {"CP9", "VW2", "CS1"}),
        ({"CP5": "convicted_after_trial"}, {"VW6", "VW7", "VW15"}, {"VW8", "VW9", "RV9"}),
        ({"CP5": "no_evidence_offered"}, {"VW7", "VW8", "RV9"}, {"VW6", "VW9"}),
        ({"CP5": "discontinued"}, {"VW9", "RV9"}, {"VW7", "VW8"}),
        ({"VW13": "late"}, {"VW14"}, set()),
        ({"VW13": "not_done"}, set(), {"VW14"}),
        ({"RV3": "yes", "RV5": "yes", "RV7": "yes", "RV1": "yes"}, {"RV2", "RV4", "RV6", "RV8"}, set()),
        ({"FS4": "harassment_s2"}, {"FS6"}, set()),
        ({"FS4": "stalking_s4a"}, set(), {"FS6"}),
    ],
)
def test_an_answer_opens_its_follow_up_questions(questions, answers, opened, still_closed):
    before = set(applicable(questions, CROWN_CHARGED_DA))
    after = set(applicable(questions, CROWN_CHARGED_DA, answers))
    assert opened <= after - before
    assert not still_closed & after


def test_an_nfa_file_ignores_answers_to_questions_that_do_not_apply_to_it(questions):
    # A stale answer to a charged-only question must not open that question's follow-ups.
    assert not {"LD8", "LD9", "CP9", "VW2"} & set(applicable(questions, NFA, {"LD7": "not_meets", "CP6": "yes"}))


def test_a_multiple_choice_answer_opens_a_follow_up_when_any_chosen_option_matches():
    rule = {"answers": {"LD3": ["other"]}}
    assert question_applies(rule, {}, {"LD3": "following|other"})
    assert not question_applies(rule, {}, {"LD3": "following"})
    assert not question_applies(rule, {}, {})
