"""Applicability rules in plain English."""

from pathlib import Path

import pytest

from questionset.describe import describe_applicability
from questionset.loader import parse_question_set

from .conftest import SHIPPED


@pytest.fixture(scope="module")
def shipped():
    return {q.code: q for q in parse_question_set(Path(SHIPPED).read_text(encoding="utf-8")).questions}


@pytest.mark.parametrize(
    ("rule", "sentence"),
    [
        ({}, "Applies to every file."),
        (
            {"outcome": ["charged"], "court": ["crown"]},
            "Applies only to cases whose court is crown and outcome is charged.",
        ),
        ({"outcome": ["nfa"]}, "Applies only to cases whose outcome is nfa."),
        (
            {"category": ["stalking", "harassment"], "court": ["magistrates"]},
            "Applies only to cases whose category is stalking or harassment and court is magistrates.",
        ),
        ({"court": [""]}, "Applies only to cases whose court is (empty)."),
    ],
)
def test_it_describes_case_rules(rule, sentence):
    assert describe_applicability(rule, {}) == sentence


def test_it_describes_a_rule_on_an_earlier_answer_with_the_option_labels(shipped):
    assert describe_applicability(shipped["LD8"].applies_when, shipped) == (
        "Applies only to cases whose outcome is charged, and when LD7 is ‘Partially meeting the expected standard’ "
        "or ‘Not meeting the expected standard’."
    )
    assert describe_applicability({"answers": {"LD7": ["partially_meets", "not_meets"]}}, shipped) == (
        "Applies when LD7 is ‘Partially meeting the expected standard’ or ‘Not meeting the expected standard’."
    )


def test_it_joins_several_answers_and_says_includes_for_multiple_choice(shipped):
    rule = {"answers": {"FS3": ["other"], "CP6": ["yes"]}}
    assert describe_applicability(rule, shipped) == (
        "Applies when CP6 is ‘Yes’ and FS3 includes ‘Other fixated or obsessive behaviour’."
    )


def test_every_shipped_rule_reads_as_a_sentence_without_raw_codes(shipped):
    for question in shipped.values():
        sentence = describe_applicability(question.applies_when, shipped)
        assert sentence.startswith("Applies ") and sentence.endswith(".")
        for codes in question.applies_when.get("answers", {}).values():
            for code in codes:
                assert f"‘{code}’" not in sentence or code in ("yes", "no"), (question.code, sentence)
