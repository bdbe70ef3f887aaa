"""The statistics against published worked examples, and the cases where they are undefined."""

import math

import pytest

from quality.agreement import (
    NOT_COMPUTABLE_ONE_CATEGORY,
    NOT_COMPUTABLE_UNEQUAL,
    cohen,
    group_agreement,
    pooled_cohen,
)


def table_pairs(yes_yes: int, yes_no: int, no_yes: int, no_no: int) -> list[tuple[str, str]]:
    """A 2 × 2 table (rater A down, rater B across) as the pairs it counts."""
    return [("yes", "yes")] * yes_yes + [("yes", "no")] * yes_no + [("no", "yes")] * no_yes + [("no", "no")] * no_no


def test_it_reproduces_the_wikipedia_cohens_kappa_example():
    # Wikipedia, "Cohen's kappa", simple example: 50 grant proposals, p_o = 0.7, p_e = 0.5, kappa = 0.4.
    result = cohen(table_pairs(20, 5, 10, 15))
    assert result.n == 50 and result.agreed == 35
    assert result.percent == pytest.approx(70.0)
    assert result.expected == pytest.approx(0.5)
    assert result.kappa == pytest.approx(0.4)
    assert result.flagged  # 0.4 < 0.6 and 70% < 80%


@pytest.mark.parametrize(
    ("table", "kappa"),
    [((45, 15, 25, 15), 0.1304), ((25, 35, 5, 35), 0.2593)],
)
def test_it_reproduces_wikipedias_same_agreement_different_kappa_tables(table, kappa):
    # Both tables have 60% agreement; their marginals make kappa 0.1304 and 0.2593.
    result = cohen(table_pairs(*table))
    assert result.percent == pytest.approx(60.0)
    assert result.kappa == pytest.approx(kappa, abs=5e-5)


WIKIPEDIA_FLEISS = [  # 10 subjects, 14 raters each, 5 categories (Wikipedia, "Fleiss' kappa", worked example)
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def units_from_counts(rows: list[list[int]], categories: str = "abcde") -> list[list[str]]:
    return [[c for c, k in zip(categories, row, strict=True) for _ in range(k)] for row in rows]


def test_it_reproduces_the_wikipedia_fleiss_kappa_example():
    result = group_agreement(units_from_counts(WIKIPEDIA_FLEISS))
    assert result.units == 10 and result.ratings == 140
    assert result.fleiss == pytest.approx(0.210, abs=5e-4)
    assert result.percent == pytest.approx(37.8, abs=0.05)  # P̄ = 0.378
    assert result.all_agree == 1
    assert result.flagged


# Krippendorff's alpha, nominal, with missing values: the `krippendorff` package's own
# documented example (3 coders, 15 units; alpha = 0.691358) …
PACKAGE_EXAMPLE = [
    [None, None, None, None, None, 3, 4, 1, 2, 1, 1, 3, 3, None, 3],
    [1, None, 2, 1, 3, 3, 4, 3, None, None, None, None, None, None, None],
    [None, None, 2, 1, 3, 4, 4, None, 2, 1, 1, 3, 3, None, 4],
]
# … and Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C:
# 4 observers, 12 units, nominal data with missing values, alpha = 0.743.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def units_from_coders(coders: list[list]) -> list[list[str]]:
    """Reliability data (coders × units, None missing) as each unit's ratings."""
    return [["" if v is None else str(v) for v in unit] for unit in zip(*coders, strict=True)]


@pytest.mark.parametrize(("coders", "alpha"), [(PACKAGE_EXAMPLE, 0.691358), (KRIPPENDORFF_2011, 0.743)])
def test_it_reproduces_published_krippendorff_alpha_examples(coders, alpha):
    result = group_agreement(units_from_coders(coders))
    assert result.alpha == pytest.approx(alpha, abs=5e-4 if alpha == 0.743 else 5e-7)
    # Units do not all have the same number of ratings, so Fleiss' kappa is refused, not miscomputed.
    assert result.fleiss is None and result.fleiss_note == NOT_COMPUTABLE_UNEQUAL


def test_alpha_and_fleiss_agree_closely_when_no_rating_is_missing():
    result = group_agreement(units_from_counts(WIKIPEDIA_FLEISS))
    # With complete data alpha = kappa·(1 − 1/(N·m)) + 1/(N·m) approximately; both are near 0.21.
    assert math.isclose(result.alpha, result.fleiss, abs_tol=0.01)


def test_not_applicable_counts_as_a_category_and_blanks_are_left_out():
    result = cohen([("na", "fully_meets"), ("na", "na"), ("fully_meets", "fully_meets"), ("", "na"), ("na", "")])
    assert result.n == 3 and result.agreed == 2
    group = group_agreement([["na", "na", ""], ["na", "yes", "yes"], ["", "", "yes"]])
    assert group.units == 2  # the third file has one rating only
    assert group.percent == pytest.approx(100 * (1 + 1 / 3) / 2)


def test_when_everyone_gives_the_same_answer_kappa_is_not_computable_and_nothing_is_flagged():
    pairs = cohen([("yes", "yes")] * 12)
    assert pairs.kappa is None and pairs.note == NOT_COMPUTABLE_ONE_CATEGORY
    assert pairs.percent == 100 and not pairs.flagged
    group = group_agreement([["yes", "yes", "yes"]] * 5)
    assert group.fleiss is None and group.alpha is None and group.alpha_note == NOT_COMPUTABLE_ONE_CATEGORY
    assert group.percent == 100 and group.all_agree == 5 and not group.flagged


def test_nothing_to_compare_gives_no_figures():
    assert cohen([]).percent is None and not cohen([]).flagged
    empty = group_agreement([["yes"], [], ["no", ""]])
    assert empty.units == 0 and empty.percent is None and empty.alpha is None and not empty.flagged


def test_high_agreement_with_low_kappa_is_flagged_for_guidance():
    # 90% agreement, but nearly all "yes": kappa is low (the kappa paradox), so the question is flagged.
    result = cohen(table_pairs(44, 3, 2, 1))
    assert result.percent == pytest.approx(90.0)
    assert result.kappa < 0.6 and result.flagged


def test_pooled_kappa_of_one_question_is_that_questions_kappa():
    pairs = table_pairs(20, 5, 10, 15)
    assert pooled_cohen([pairs]).kappa == pytest.approx(cohen(pairs).kappa)


def test_pooled_kappa_averages_observed_and_chance_agreement_over_questions():
    first = table_pairs(20, 5, 10, 15)  # 50 pairs, p_o 0.70, p_e 0.50
    second = [("fully_meets", "fully_meets")] * 8 + [("fully_meets", "not_meets")] * 2  # p_o 0.8, p_e 0.8
    result = pooled_cohen([first, second, []])
    expected_pe = (50 * 0.5 + 10 * 0.8) / 60
    assert result.n == 60 and result.agreed == 43
    assert result.kappa == pytest.approx((43 / 60 - expected_pe) / (1 - expected_pe))
    # A question's "yes" is never matched with another question's: the same pairs
    # relabelled to shared codes give a different (wrong) chance agreement.
    assert result.expected == pytest.approx(expected_pe)
