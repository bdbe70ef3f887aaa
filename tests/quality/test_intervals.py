"""95% confidence intervals for kappa and alpha (percentile bootstrap over files, fixed seed),
checked against independent, straightforward re-implementations with the same draws and
against scipy.stats.bootstrap; the Landis and Koch bands; the minimum number of files before
a question is flagged; the figures and the shared "How to read these figures" panel on pages."""

import krippendorff
import numpy as np
import pytest
from django.urls import reverse
from scipy.stats import bootstrap
from statsmodels.stats.inter_rater import fleiss_kappa

from quality.agreement import band, group_intervals, pooled_kappa_interval
from quality.measures import dip_tables

from .test_statistics import dip_data, exercise_data  # noqa: F401 (fixtures)

SEED, RESAMPLES = 7, 500

# Wikipedia's Cohen's kappa example: 50 proposals, yes/yes 20, yes/no 5, no/yes 10, no/no 15: kappa 0.4.
WIKIPEDIA = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10 + [("no", "no")] * 15


def textbook_kappa(pairs: list[tuple[str, str]]) -> float | None:
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    categories = {c for pair in pairs for c in pair}
    expected = sum(sum(a == c for a, _ in pairs) * sum(b == c for _, b in pairs) for c in categories) / n / n
    return None if expected == 1 else (observed - expected) / (1 - expected)


def percentile_95(values: list[float]) -> tuple[float, float]:
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def test_kappa_interval_matches_a_straightforward_bootstrap_with_the_same_draws():
    interval = pooled_kappa_interval([dict(enumerate(WIKIPEDIA))], seed=SEED, resamples=RESAMPLES)
    draws = np.random.default_rng(SEED).integers(0, len(WIKIPEDIA), size=(RESAMPLES, len(WIKIPEDIA)))
    kappas = [textbook_kappa([WIKIPEDIA[i] for i in drawn]) for drawn in draws]
    low, high = percentile_95([k for k in kappas if k is not None])
    assert (interval.low, interval.high) == (pytest.approx(low, abs=1e-12), pytest.approx(high, abs=1e-12))
    assert interval.low < 0.4 < interval.high


def test_kappa_interval_is_close_to_scipys_percentile_bootstrap():
    """scipy draws differently, so the ends agree only to the bootstrap's own noise."""
    ours = pooled_kappa_interval([dict(enumerate(WIKIPEDIA))], seed=SEED)
    theirs = bootstrap(
        (np.arange(len(WIKIPEDIA)),),
        lambda idx: textbook_kappa([WIKIPEDIA[i] for i in idx]),
        vectorized=False,
        n_resamples=2000,
        method="percentile",
        random_state=np.random.default_rng(SEED),
    ).confidence_interval
    assert ours.low == pytest.approx(theirs.low, abs=0.03)
    assert ours.high == pytest.approx(theirs.high, abs=0.03)


def test_pooled_kappa_interval_resamples_whole_files():
    """Two questions over 12 files: each draw takes a file's answers to both questions together."""
    rng = np.random.default_rng(3)
    first = {f: (rng.choice(["a", "b"]), rng.choice(["a", "b"])) for f in range(12)}
    second = {f: (rng.choice(["x", "y", "z"]), rng.choice(["x", "y"])) for f in range(12) if f % 3}
    interval = pooled_kappa_interval([first, second], seed=SEED, resamples=RESAMPLES)
    kappas = []
    for drawn in np.random.default_rng(SEED).integers(0, 12, size=(RESAMPLES, 12)):
        questions = [[q[f] for f in drawn if f in q] for q in (first, second)]
        n = sum(len(pairs) for pairs in questions)
        observed = sum(a == b for pairs in questions for a, b in pairs) / n
        expected = 0.0
        for pairs in questions:
            if pairs:
                categories = {c for pair in pairs for c in pair}
                chance = sum(sum(a == c for a, _ in pairs) * sum(b == c for _, b in pairs) for c in categories)
                expected += chance / len(pairs)  # n_q · p_e,q
        expected /= n
        if expected < 1:
            kappas.append((observed - expected) / (1 - expected))
    assert (interval.low, interval.high) == tuple(pytest.approx(v, abs=1e-12) for v in percentile_95(kappas))


def test_fleiss_and_alpha_intervals_match_the_libraries_recomputed_on_each_draw():
    rng = np.random.default_rng(11)
    units = [list(rng.choice(["fm", "pm", "nm"], size=3, p=[0.6, 0.3, 0.1])) for _ in range(15)]
    fleiss, alpha = group_intervals(units, seed=SEED, resamples=200)
    categories = ["fm", "nm", "pm"]
    table = np.array([[unit.count(c) for c in categories] for unit in units])
    fleiss_values, alpha_values = [], []
    for drawn in np.random.default_rng(SEED).integers(0, 15, size=(200, 15)):
        sample = table[drawn]
        if (sample.sum(axis=0) > 0).sum() < 2:
            continue  # every answer the same: undefined
        fleiss_values.append(fleiss_kappa(sample, method="fleiss"))
        alpha_values.append(krippendorff.alpha(value_counts=sample, level_of_measurement="nominal"))
    assert (fleiss.low, fleiss.high) == tuple(pytest.approx(v, abs=1e-9) for v in percentile_95(fleiss_values))
    assert (alpha.low, alpha.high) == tuple(pytest.approx(v, abs=1e-9) for v in percentile_95(alpha_values))


def test_no_interval_where_the_figure_is_undefined_or_rests_on_one_file():
    assert pooled_kappa_interval([dict.fromkeys(range(30), ("yes", "yes"))]) is None  # one category
    assert pooled_kappa_interval([{0: ("yes", "no")}]) is None
    assert group_intervals([["a", "b"]]) == (None, None)


@pytest.mark.parametrize(
    "coefficient, word",
    [(-0.1, "poor"), (0.0, "slight"), (0.2, "slight"), (0.21, "fair"), (0.4, "fair"), (0.5, "moderate"),
     (0.6, "moderate"), (0.61, "substantial"), (0.8, "substantial"), (0.81, "almost perfect"), (1.0, "almost perfect"),
     (None, "")],
)  # fmt: skip
def test_each_figure_has_landis_and_kochs_word(coefficient, word):
    assert band(coefficient) == word


def test_a_question_is_not_flagged_on_fewer_files_than_the_minimum(dip_data, inspection, settings):  # noqa: F811
    settings.QA_MIN_FILES_TO_FLAG = 10
    vw2 = {r.question.code: r for r in dip_tables(inspection).questions}["VW2"]
    assert vw2.result.percent == 50 and vw2.too_few and not vw2.flagged
    settings.QA_MIN_FILES_TO_FLAG = 2
    vw2 = {r.question.code: r for r in dip_tables(inspection).questions}["VW2"]
    assert vw2.flagged


def test_the_all_inspectors_row_has_a_pooled_kappa_with_its_interval(dip_data, inspection):  # noqa: F811
    overall = dip_tables(inspection).overall
    # LD1: 6 pairs all fully meets (p_e 1); VW1: 6 pairs, 5 agree, p_e 0.5. Pooled p_o 11/12, p_e 0.75.
    assert overall.kappa == pytest.approx((11 / 12 - 0.75) / 0.25)
    assert overall.kappa_interval is not None and overall.kappa_interval.low <= overall.kappa_interval.high <= 1


def test_the_dashboard_shows_intervals_bands_and_too_few_files(client, dip_data, qa_lead, inspection):  # noqa: F811
    client.force_login(qa_lead)
    page = client.get(reverse("quality:dashboard", args=[inspection.slug])).content.decode()
    all_inspectors = page.split('id="all-inspectors"')[1].split("</tr>")[0]
    assert "0.67" in all_inspectors and "substantial" in all_inspectors and "95% CI" in all_inspectors
    vw1 = page.split("VW1 <span")[1].split("</tr>")[0]
    assert "0.67" in vw1 and "substantial" in vw1 and "95% CI" in vw1 and "too few files to judge" in vw1
    assert "No question is flagged." in page
    assert 'id="how-to-read"' in page and "percentile bootstrap" in page and "at least 10 files" in page


def test_the_exercise_results_page_shares_the_panel(client, exercise_data, qa_lead):  # noqa: F811
    client.force_login(qa_lead)
    page = client.get(reverse("quality:exercise_results", args=[exercise_data.pk])).content.decode()
    assert page.count('id="how-to-read"') == 1 and "Landis and Koch" in page
    assert "too few files to judge" in page and "Needs clearer guidance" not in page
