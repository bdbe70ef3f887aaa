"""Design weights and weighted estimates, against figures worked by hand and against an
independent second implementation (samplics), on small frames where a stratum's frame share
and its quota differ a lot."""

import csv
import io
import random
import warnings

import numpy as np
import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from casefiles.models import Area, CaseFile
from reports.estimates import Design, variance_strata, weighted_estimates, wilson
from reports.render import pdf_html
from reports.tables import question_tables
from reports.weights import SampledFile, analysis_weights, design_weights, inspection_weights
from sampling.services import case_file_replace

from .conftest import FRAME_CELLS, examine_every_file

with warnings.catch_warnings():
    warnings.simplefilter("ignore", FutureWarning)  # samplics says it is archived; it still serves as a check
    from samplics import PopParam, TaylorEstimator


def files_in(cells: dict[tuple, int]) -> list[SampledFile]:
    out, i = [], 0
    for cell, n in cells.items():
        for _ in range(n):
            out.append(SampledFile(i, cell))
            i += 1
    return out


def test_a_files_weight_is_its_cells_frame_count_over_the_files_drawn_there():
    # Area 1: a stratum of 120 cases with a quota of 4, one of 4 cases with a quota of 3.
    frame = {(1, "big"): 120, (1, "small"): 4, (2, "big"): 6}
    files = files_in({(1, "big"): 4, (1, "small"): 3, (2, "big"): 4})
    weights = design_weights(frame, files)
    assert [weights[f.id] for f in files] == [30.0] * 4 + [4 / 3] * 3 + [1.5] * 4
    assert sum(weights.values()) == pytest.approx(130)  # the weights add up to the frame


def test_a_cell_with_fewer_files_counted_weighs_each_more_and_its_fpc_says_how_much_of_the_frame_was_seen():
    frame = {(1, "big"): 120, (1, "small"): 4}
    weights, fpc = analysis_weights(frame, files_in({(1, "big"): 2, (1, "small"): 4}))
    assert weights[0] == 60 and weights[2] == 1
    assert fpc[0] == pytest.approx(1 - 2 / 120) and fpc[2] == 0  # the small cell was examined whole


def test_a_sampled_file_in_a_cell_the_draw_did_not_record_is_refused():
    with pytest.raises(ValueError, match="did not record"):
        design_weights({(1, "big"): 10}, files_in({(2, "big"): 1}))


HAND_FRAME = {(1, "big"): 1000, (1, "small"): 20}
HAND_FILES = files_in({(1, "big"): 10, (1, "small"): 10})
# Five of the ten big-stratum files chose the option, nine of the ten small-stratum ones.
HAND_Y = np.array([1] * 5 + [0] * 5 + [1] * 9 + [0])


def test_the_weighted_estimate_and_its_interval_match_figures_worked_by_hand():
    """Worked by hand:
    weights 1000/10 = 100 (big), 20/10 = 2 (small); Σwx = 1000 + 20 = 1020; Σwy = 500 + 18 = 518;
    R = 518/1020 = 0.507843 (the unweighted share is 14/20 = 70%).
    z = w(y − R): big: Σ(z − z̄)² = 100² × 10 × 0.5 × 0.5 = 25,000; × 10/9 × (1 − 10/1000) = 27,500.
                 small: 2² × 10 × 0.9 × 0.1 = 3.6; × 10/9 × (1 − 10/20) = 2.
    v(R) = 27,502 / 1020² = 0.0264341; se = 0.1625856; t(0.975, 20 − 2 = 18) = 2.1009220;
    interval 0.5078431 ± 0.3415796 = 0.1662636 to 0.8494227."""
    design = Design.build(HAND_FILES, HAND_FRAME)
    (estimate,) = design.ratio(HAND_Y[:, None], np.ones(20))
    assert estimate.share == pytest.approx(518 / 1020)
    assert estimate.stderr == pytest.approx(0.162586, abs=1e-6)
    assert (estimate.lower, estimate.upper) == (pytest.approx(0.1662636, abs=1e-7), pytest.approx(0.8494227, abs=1e-7))
    assert (str(estimate.percent), str(estimate.percent_lower), str(estimate.percent_upper)) == ("50.8", "16.6", "84.9")


def samplics_ratio(y, x, files, frame, domain=None):
    counted = {}
    for f in files:
        counted[f.cell] = counted.get(f.cell, 0) + 1
    weights = np.array([frame[f.cell] / counted[f.cell] for f in files])
    strata = np.array([f"{a}:{s}" for a, s in (f.cell for f in files)])
    fpc = {f"{a}:{s}": 1 - counted[(a, s)] / n for (a, s), n in frame.items() if (a, s) in counted}
    estimator = TaylorEstimator(PopParam.ratio)
    estimator.estimate(
        y=np.asarray(y, float), x=np.asarray(x, float), samp_weight=weights, stratum=strata, fpc=fpc, domain=domain
    )
    return estimator


def test_estimates_for_the_whole_frame_and_a_group_agree_with_samplics():
    rng = random.Random(3)
    frame = {(1, "big"): 1000, (1, "small"): 20, (2, "big"): 50, (2, "small"): 7}
    files = files_in({(1, "big"): 10, (1, "small"): 10, (2, "big"): 5, (2, "small"): 4})
    x = np.array([int(rng.random() < 0.8) for _ in files])  # the rest answered "not applicable"
    y = np.array([[int(xi and rng.random() < 0.5)] for xi in x])
    group = np.array([rng.choice("pq") for _ in files])
    design = Design.build(files, frame)

    (overall,) = design.ratio(y, x)
    check = samplics_ratio(y[:, 0], x, files, frame)
    assert overall.share == pytest.approx(check.point_est)
    assert overall.stderr == pytest.approx(check.stderror)
    assert overall.upper == pytest.approx(check.upper_ci)

    member = (group == "p").astype(int)
    (in_group,) = design.ratio(y * member[:, None], x * member)
    check = samplics_ratio(y[:, 0], x, files, frame, domain=group)
    assert in_group.share == pytest.approx(check.point_est["p"])
    assert in_group.stderr == pytest.approx(check.stderror["p"])
    (by_rows,) = design.ratio(y, x, np.flatnonzero(member))  # the group's rows only: the same estimate
    assert (by_rows.share, by_rows.stderr) == (pytest.approx(in_group.share), pytest.approx(in_group.stderr))


def test_cells_with_one_file_are_collapsed_with_the_same_stratum_of_other_areas():
    frame = {(1, "crown"): 5, (2, "crown"): 9, (3, "crown"): 1, (1, "mags"): 40, (2, "other"): 3}
    counted = {(1, "crown"): 1, (2, "crown"): 1, (3, "crown"): 1, (1, "mags"): 4, (2, "other"): 1}
    strata = variance_strata(counted, frame)
    assert strata[(1, "crown")] == strata[(2, "crown")] == ("pooled", "crown")
    assert strata[(3, "crown")] == ("cell", 3, "crown")  # drawn whole: no variance to estimate
    assert strata[(1, "mags")] == ("cell", 1, "mags")
    assert strata[(2, "other")] == ("cell", 2, "other")  # alone even after pooling: adds none

    # Hand-worked: the pooled stratum holds two files of weights 5 and 9, answers 1 and 0.
    files = files_in({(1, "crown"): 1, (2, "crown"): 1})
    design = Design.build(files, {(1, "crown"): 5, (2, "crown"): 9})
    (estimate,) = design.ratio(np.array([[1], [0]]), np.ones(2))
    # R = 5/14; z = (5 × 9/14, −9 × 5/14), mean 0; Σz² = 2 × (45/14)²; × 2/1 × (1 − 2/14).
    variance = 2 * (45 / 14) ** 2 * 2 * (12 / 14) / 14**2
    assert estimate.share == pytest.approx(5 / 14)
    assert estimate.stderr == pytest.approx(variance**0.5)


def test_the_wilson_interval_is_the_textbook_one():
    p, n, z = 0.3, 10, 1.959964
    centre, half = p + z * z / (2 * n), z * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5
    assert wilson(3, 10) == (
        pytest.approx((centre - half) / (1 + z * z / n), abs=1e-6),
        pytest.approx((centre + half) / (1 + z * z / n), abs=1e-6),
    )
    assert wilson(0, 0) is None


def test_the_draw_records_each_cells_frame_count_and_a_replacement_takes_the_replaced_files_weight(
    weighted_inspection, lead
):
    wessex = Area.objects.get(name="Wessex")
    big = CaseFile.objects.filter(inspection=weighted_inspection, area=wessex, stratum="big").in_sample()
    replaced = big.order_by("urn").first()
    reserve = case_file_replace(case_file=replaced, reason="File lost", user=lead)
    weights = inspection_weights(weighted_inspection)
    assert replaced.pk not in weights
    assert weights[reserve.pk] == 30.0  # 120 frame cases, 4 files in the sample
    small = CaseFile.objects.filter(inspection=weighted_inspection, area=wessex, stratum="small").in_sample()
    assert [weights[f.pk] for f in small] == [pytest.approx(4 / 3)] * 3  # 4 frame cases, 3 drawn
    assert sum(weights.values()) == pytest.approx(sum(FRAME_CELLS.values()))


def test_the_data_sheets_weighted_columns_agree_with_samplics_on_export_results(
    weighted_inspection, inspector, tmp_path
):
    examine_every_file(weighted_inspection, inspector)
    out = io.StringIO()
    call_command("export_results", "--inspection", "weights", "-o", str(tmp_path / "r.csv"), stdout=out)
    call_command("export_sample", "--inspection", "weights", "-o", str(tmp_path / "s.csv"), stdout=out)
    call_command("build_report", "--inspection", "weights", "-o", str(tmp_path / "r.xlsx"), stdout=out)

    stratum_of = {
        r["urn"]: r["stratum"] for r in csv.DictReader(io.StringIO((tmp_path / "s.csv").read_text(encoding="utf-8")))
    }
    answers = [
        r
        for r in csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text(encoding="utf-8")))
        if r["question"] == "LD1"
    ]
    area_ids = dict(Area.objects.values_list("name", "id"))
    files = [SampledFile(i, (area_ids[r["area"]], stratum_of[r["urn"]])) for i, r in enumerate(answers)]
    frame = {(area_ids[a], s): n for (a, s), n in FRAME_CELLS.items()}
    x = np.array([r["answer"] != "na" for r in answers])
    y = np.array([r["answer"] == "fully_meets" for r in answers])
    overall = samplics_ratio(y, x, files, frame)
    by_area = samplics_ratio(y, x, files, frame, domain=np.array([r["area"] for r in answers]))

    sheet = load_workbook(tmp_path / "r.xlsx", read_only=True)["data"]
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == (
        "question", "breakdown", "group", "answer", "count", "percent",
        "weighted_percent", "weighted_lower", "weighted_upper", "wilson_lower", "wilson_upper",
    )  # fmt: skip
    cells = {r[:4]: r[4:] for r in rows[1:]}
    count, pct, weighted, lower, upper, w_lower, w_upper = cells[("LD1", "all", "all", "fully_meets")]
    assert weighted == round(100 * overall.point_est, 1)
    assert (lower, upper) == (round(100 * overall.lower_ci, 1), round(100 * overall.upper_ci, 1))
    assert abs(weighted - pct) > 5  # the quotas over-represent the small stratum: weighting matters here
    wilson_interval = wilson(count, int(sum(x)))
    assert (w_lower, w_upper) == (round(100 * wilson_interval[0], 1), round(100 * wilson_interval[1], 1))
    wessex = cells[("LD1", "area", "Wessex", "fully_meets")]
    assert wessex[2] == round(100 * by_area.point_est["Wessex"], 1)
    assert cells[("LD1", "all", "all", "na")][2:] == (None,) * 5


def test_the_pdf_headline_shows_the_weighted_national_estimate_and_its_notes_explain_the_weights(
    weighted_inspection, inspector
):
    examine_every_file(weighted_inspection, inspector)
    parameters = {"breakdowns": [], "headlines": {"questions": ["LD1"], "rows": "area", "columns": "court"}}
    html = pdf_html(weighted_inspection, parameters)
    tables = question_tables(weighted_inspection, {"questions": ["LD1"]}, breakdowns=[])
    estimate = weighted_estimates(weighted_inspection, tables).get("LD1", "all", "all", "fully_meets")
    national = html.split('<table class="national">')[1].split("</table>")[0]
    fully = national.split("Fully meets the required standard")[1].split("</tr>")[0]
    assert f"{estimate.percent}<" in fully and f"{estimate.percent_lower}–{estimate.percent_upper}" in fully
    assert "the same number of files in each stratum" in html
    # 14 files (4 + 3 per Area) stand for 160 frame cases; weights from 4/3 (Wessex small) to 30 (Wessex big).
    assert "14 files counted stand for 160 cases in 4 Area × stratum cells" in html
    assert "between 1.3 and 30.0 cases" in html


def test_without_a_draw_record_the_pdf_says_there_are_no_weights(inspection, hand_counted):
    html = pdf_html(inspection, {"headlines": {"questions": ["LD1"], "rows": "area", "columns": "court"}})
    assert "no record of a sample draw" in html
    assert weighted_estimates(inspection, question_tables(inspection)) is None
