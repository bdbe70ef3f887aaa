"""Agreement statistics, from plain lists to dataclasses: no database, no Django.

The coefficients come from well-kept libraries (statsmodels for Cohen's and Fleiss'
kappa, `krippendorff` for alpha); this module only shapes the data, guards the cases
where a coefficient is undefined, and decides what to flag.

Conventions, used by every page and export:
* A rating is a category code (an option code; a multiple-choice answer is the whole
  set of ticked codes joined by "|", compared as one category).
* `na` (not applicable) is a category like any other: a rater who says "not applicable"
  where another says "fully meets" disagrees with them.
* A blank rating (the question did not apply given that rater's earlier answers) is
  missing: it is left out, never counted as a category.
* When every rating falls in one category, chance agreement is 1 and kappa and alpha are
  undefined: they are reported as not computable, agreement is 100%, nothing is flagged.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Below either of these a question needs clearer guidance (Landis and Koch call kappa
# above 0.6 "substantial"; 80% is the inspectorate's usual bar for percentage agreement).
KAPPA_THRESHOLD = 0.6
AGREEMENT_THRESHOLD = 80.0

NOT_COMPUTABLE_ONE_CATEGORY = "not computable: every answer was the same"
NOT_COMPUTABLE_TOO_FEW = "not computable: too few answers"
NOT_COMPUTABLE_UNEQUAL = "not computable: files have different numbers of answers"


def _flag(coefficient: float | None, percent: float | None) -> bool:
    if percent is None:
        return False
    return percent < AGREEMENT_THRESHOLD or (coefficient is not None and coefficient < KAPPA_THRESHOLD)


@dataclass(frozen=True)
class PairAgreement:
    """Two raters (an inspector and the QA lead) over n items: Cohen's kappa."""

    n: int
    agreed: int
    kappa: float | None
    expected: float | None  # chance agreement p_e, kept for pooling
    note: str = ""

    @property
    def percent(self) -> float | None:
        return 100 * self.agreed / self.n if self.n else None

    @property
    def observed(self) -> float | None:
        return self.agreed / self.n if self.n else None

    @property
    def flagged(self) -> bool:
        return _flag(self.kappa, self.percent)


def _expected_agreement(pairs: Sequence[tuple[str, str]]) -> float:
    n = len(pairs)
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    return sum(first[c] * second[c] for c in first) / (n * n)


def cohen(pairs: Iterable[tuple[str, str]]) -> PairAgreement:
    """Cohen's (1960) kappa for (rater A, rater B) category pairs; pairs with a blank are left out."""
    from statsmodels.stats.inter_rater import cohens_kappa

    pairs = [(a, b) for a, b in pairs if a and b]
    n = len(pairs)
    agreed = sum(1 for a, b in pairs if a == b)
    if n == 0:
        return PairAgreement(0, 0, None, None, NOT_COMPUTABLE_TOO_FEW)
    expected = _expected_agreement(pairs)
    if expected >= 1:
        return PairAgreement(n, agreed, None, expected, NOT_COMPUTABLE_ONE_CATEGORY)
    categories = sorted({c for pair in pairs for c in pair})
    index = {c: i for i, c in enumerate(categories)}
    table = [[0] * len(categories) for _ in categories]
    for a, b in pairs:
        table[index[a]][index[b]] += 1
    return PairAgreement(n, agreed, float(cohens_kappa(table, return_results=False)), expected)


def pooled_cohen(groups: Iterable[Sequence[tuple[str, str]]]) -> PairAgreement:
    """One kappa over many questions (De Vries et al. 2008, "Using pooled kappa to summarize
    interrater agreement across many items", Field Methods 20:272): observed and chance
    agreement are averaged over the questions, weighted by their number of pairs, and
    kappa = (p̄_o − p̄_e) / (1 − p̄_e). Each question keeps its own categories, so a
    "yes" to one question is never matched with a "yes" to another."""
    n = agreed = 0
    expected_sum = 0.0
    for pairs in groups:
        result = cohen(pairs)
        if not result.n:
            continue
        n += result.n
        agreed += result.agreed
        expected_sum += result.n * result.expected
    if n == 0:
        return PairAgreement(0, 0, None, None, NOT_COMPUTABLE_TOO_FEW)
    expected = expected_sum / n
    if expected >= 1:
        return PairAgreement(n, agreed, None, expected, NOT_COMPUTABLE_ONE_CATEGORY)
    return PairAgreement(n, agreed, (agreed / n - expected) / (1 - expected), expected)


@dataclass(frozen=True)
class GroupAgreement:
    """Several raters per unit (participants of a consistency exercise over its files)."""

    units: int  # units (files) with at least two ratings
    ratings: int
    percent: float | None  # mean over units of the share of rater pairs that agree (Fleiss' P̄)
    all_agree: int  # units where every rating was the same
    fleiss: float | None
    fleiss_note: str
    alpha: float | None  # Krippendorff's alpha, nominal
    alpha_note: str

    @property
    def flagged(self) -> bool:
        coefficient = self.alpha if self.alpha is not None else self.fleiss
        return _flag(coefficient, self.percent)


def _unit_agreement(counts: Counter) -> float:
    m = sum(counts.values())
    return sum(k * (k - 1) for k in counts.values()) / (m * (m - 1))


def group_agreement(units: Iterable[Sequence[str]]) -> GroupAgreement:
    """Fleiss' (1971) kappa, Krippendorff's alpha (nominal) and percentage agreement.

    units: for each file, the ratings given to it (one per rater who answered; blanks are
    left out). Fleiss' kappa needs the same number of ratings on every file; alpha copes
    with missing ratings and is the one to read when participants skipped files."""
    import krippendorff
    import numpy as np
    from statsmodels.stats.inter_rater import fleiss_kappa

    rated = [Counter(r for r in unit if r) for unit in units]
    rated = [c for c in rated if sum(c.values()) >= 2]
    if not rated:
        return GroupAgreement(0, 0, None, 0, None, NOT_COMPUTABLE_TOO_FEW, None, NOT_COMPUTABLE_TOO_FEW)
    ratings = sum(sum(c.values()) for c in rated)
    percent = 100 * sum(_unit_agreement(c) for c in rated) / len(rated)
    all_agree = sum(1 for c in rated if len(c) == 1)
    categories = sorted({k for c in rated for k in c})
    if len(categories) == 1:
        note = NOT_COMPUTABLE_ONE_CATEGORY
        return GroupAgreement(len(rated), ratings, percent, all_agree, None, note, None, note)
    table = np.array([[c[k] for k in categories] for c in rated])
    if len({sum(c.values()) for c in rated}) == 1:
        fleiss, fleiss_note = float(fleiss_kappa(table, method="fleiss")), ""
    else:
        fleiss, fleiss_note = None, NOT_COMPUTABLE_UNEQUAL
    alpha = float(krippendorff.alpha(value_counts=table, level_of_measurement="nominal"))
    return GroupAgreement(len(rated), ratings, percent, all_agree, fleiss, fleiss_note, alpha, "")
