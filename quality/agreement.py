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
from functools import lru_cache

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


# Confidence intervals ---------------------------------------------------------------------
#
# A percentile bootstrap over files: the files reviewed (or examined in an exercise) are
# resampled with replacement, the coefficient is recomputed on each resample, and the 2.5th
# and 97.5th percentiles of the recomputed values bound the 95% interval. Files, not answers,
# are the unit, because one file's answers hang together (one reader, one case). Percentile
# rather than BCa: BCa's acceleration comes from a jackknife, and dropping one file from a
# few dozen often leaves a question with every answer the same, where kappa is undefined;
# the percentile interval needs nothing but the resamples and is easy to explain. Resamples
# where the coefficient is undefined (every answer the same) are left out; when more than
# half are, no interval is given. The seed is fixed so a page shows the same interval twice.

BOOTSTRAP_SEED = 20260414
BOOTSTRAP_RESAMPLES = 2000
CONFIDENCE = 0.95

# Landis and Koch (1977), "The measurement of observer agreement for categorical data",
# Biometrics 33:159, table on p. 165: their words, for kappa and alike read for alpha.
BANDS = [
    (0.0, "poor"),
    (0.2, "slight"),
    (0.4, "fair"),
    (0.6, "moderate"),
    (0.8, "substantial"),
    (1.0, "almost perfect"),
]


def band(coefficient: float | None) -> str:
    """Landis and Koch's word for a kappa or alpha: poor (< 0), slight (0–0.20), fair
    (0.21–0.40), moderate (0.41–0.60), substantial (0.61–0.80), almost perfect (0.81–1)."""
    if coefficient is None:
        return ""
    if coefficient < 0:
        return "poor"
    for upper, word in BANDS[1:]:
        if round(coefficient, 2) <= upper:
            return word
    return "almost perfect"


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


@lru_cache(maxsize=32)
def resample_weights(units: int, *, seed: int = BOOTSTRAP_SEED, resamples: int = BOOTSTRAP_RESAMPLES):
    """How many times each unit is drawn in each resample, a read-only (resamples × units)
    matrix: resample r draws `units` indices with numpy's default generator seeded `seed`,
    rng.integers(0, units, size=(resamples, units))[r]. The same files give the same matrix,
    so every question of a dip sample is resampled alike."""
    import numpy as np

    draws = np.random.default_rng(seed).integers(0, units, size=(resamples, units))
    offsets = (np.arange(resamples) * units)[:, None]
    weights = np.bincount((draws + offsets).ravel(), minlength=resamples * units).reshape(resamples, units)
    weights = weights.astype(float)
    weights.flags.writeable = False
    return weights


def _interval(values) -> Interval | None:
    """The percentile interval of the resampled coefficients (NaN where undefined)."""
    import numpy as np

    finite = values[np.isfinite(values)]
    if finite.size * 2 < values.size:
        return None
    tail = 100 * (1 - CONFIDENCE) / 2
    low, high = np.percentile(finite, [tail, 100 - tail])
    return Interval(float(low), float(high))


def _one_hot(codes, categories: int):
    import numpy as np

    table = np.zeros((len(codes), categories))
    rows = np.flatnonzero(codes >= 0)
    table[rows, codes[rows]] = 1
    return table


def weighted_pooled_kappa(questions: Sequence[dict], weights):
    """Pooled kappa (as pooled_cohen) for each row of weights (resamples × units).

    questions: for each question, unit index → (rater A, rater B) category pair. A unit's
    weight is how often it was drawn, so a row of ones gives the plain pooled kappa."""
    import numpy as np

    units = weights.shape[1]
    total = np.zeros(weights.shape[0])
    agreed = np.zeros(weights.shape[0])
    chance = np.zeros(weights.shape[0])
    for pairs in questions:
        pairs = {u: (a, b) for u, (a, b) in pairs.items() if a and b}
        if not pairs:
            continue
        index = {c: i for i, c in enumerate(sorted({c for pair in pairs.values() for c in pair}))}
        first, second = np.full(units, -1), np.full(units, -1)
        for unit, (a, b) in pairs.items():
            first[unit], second[unit] = index[a], index[b]
        present = (first >= 0).astype(float)
        n = weights @ present
        agreed += weights @ (present * (first == second))
        counts = (weights @ _one_hot(first, len(index))) * (weights @ _one_hot(second, len(index)))
        chance += np.divide(counts.sum(axis=1), n, out=np.zeros_like(n), where=n > 0)
        total += n
    with np.errstate(divide="ignore", invalid="ignore"):
        observed, expected = agreed / total, chance / total
        kappa = (observed - expected) / (1 - expected)
    kappa[(total == 0) | (expected >= 1 - 1e-12)] = np.nan
    return kappa


def pooled_kappa_interval(
    questions: Sequence[dict], *, seed: int = BOOTSTRAP_SEED, resamples: int = BOOTSTRAP_RESAMPLES
) -> Interval | None:
    """The 95% percentile-bootstrap interval of pooled kappa (Cohen's kappa for one question),
    resampling units (files). questions: as weighted_pooled_kappa, units numbered from 0."""
    units = 1 + max((u for pairs in questions for u in pairs), default=-1)
    if units < 2:
        return None
    return _interval(weighted_pooled_kappa(questions, resample_weights(units, seed=seed, resamples=resamples)))


def weighted_group_coefficients(units: Sequence[Sequence[str]], weights):
    """Fleiss' kappa and Krippendorff's alpha (nominal) for each row of weights
    (resamples × units); units as group_agreement's, each with at least two ratings.

    Fleiss: P̄ = Σ w·P_i / Σ w, p_k = Σ w·n_ik / Σ w·m_i, κ = (P̄ − Σ p_k²) / (1 − Σ p_k²)
    (NaN unless every unit has the same number of ratings m). Alpha from the coincidence
    matrix (Krippendorff 2011, "Computing Krippendorff's alpha-reliability"): with n pairable
    values, n_c per category and o_cc = Σ_u n_uc(n_uc − 1)/(m_u − 1),
    α = 1 − (n − 1)(n − Σ o_cc) / (n² − Σ n_c²)."""
    import numpy as np

    counts = [Counter(r for r in unit if r) for unit in units]
    categories = sorted({k for c in counts for k in c})
    table = np.array([[c[k] for k in categories] for c in counts], dtype=float)
    m = table.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        p_unit = ((table * table).sum(axis=1) - m) / (m * (m - 1))
        share = (weights @ table) / (weights @ m)[:, None]
        expected = (share * share).sum(axis=1)
        fleiss = ((weights @ p_unit) / weights.sum(axis=1) - expected) / (1 - expected)
        if len(set(m)) != 1:
            fleiss[:] = np.nan
        n = weights @ m
        coincident = weights @ ((table * (table - 1)).sum(axis=1) / (m - 1))
        per_category = weights @ table
        alpha = 1 - (n - 1) * (n - coincident) / (n * n - (per_category * per_category).sum(axis=1))
    fleiss[expected >= 1 - 1e-12] = np.nan
    alpha[~np.isfinite(alpha)] = np.nan
    return fleiss, alpha


def group_intervals(
    units: Sequence[Sequence[str]], *, seed: int = BOOTSTRAP_SEED, resamples: int = BOOTSTRAP_RESAMPLES
) -> tuple[Interval | None, Interval | None]:
    """95% percentile-bootstrap intervals of Fleiss' kappa and Krippendorff's alpha,
    resampling files; units with fewer than two ratings are left out first."""
    rated = [[r for r in unit if r] for unit in units]
    rated = [unit for unit in rated if len(unit) >= 2]
    if len(rated) < 2 or len({r for unit in rated for r in unit}) < 2:
        return None, None
    fleiss, alpha = weighted_group_coefficients(rated, resample_weights(len(rated), seed=seed, resamples=resamples))
    return _interval(fleiss), _interval(alpha)
