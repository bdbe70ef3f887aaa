"""Weighted estimates of each option's percentage, with 95% confidence intervals that respect
the stratified design, beside Wilson intervals for the unweighted percentages.

The estimator (Cochran, *Sampling Techniques*, 6.9; Lohr, *Sampling*, 4.1 and 9.1). For a
question, an option and a group (the whole sample, or one group of a breakdown, a domain):

    y_i = 1 when file i chose the option and is in the group, else 0
    x_i = 1 when file i answered anything but `na` and is in the group, else 0
    R   = Σ w_i y_i / Σ w_i x_i              (the weighted share: a ratio estimator)

w_i is the analysis weight (reports.weights: the cell's frame count over the files counted in
it). Its variance by Taylor linearisation, strata h = the design's Area × stratum cells:

    z_i  = w_i (y_i − R x_i)
    v(R) = Σ_h (1 − f_h) n_h / (n_h − 1) Σ_{i∈h} (z_i − z̄_h)²  /  (Σ w_i x_i)²

with f_h = n_h / N_h, the cell's sampling fraction: the finite population correction, which
matters here, as a small cell's quota can be most of its frame (a cell drawn whole adds no
variance). Every counted file stays in every computation (y = x = 0 outside the group), so a
group's interval carries the randomness of how many of its files were drawn. The interval
is R ± t × √v(R) with t from Student's t on (files − strata) degrees of freedom, clipped to
0–100%: the same conventions as R's `survey` package and `samplics` (the tests check against
both a hand-worked example and samplics).

A cell with one counted file (a stratum whose quota is 1 per Area, for instance)
gives no within-cell variance. Such cells are collapsed, as is usual, with the cells of the
same stratum in other Areas that are also down to one file (the same kind of case); one left
alone even then joins the other leftovers; a single leftover, or a cell drawn whole with one
file, adds no variance. Collapsing overstates the variance a little: the intervals err wide.

This is a short implementation rather than a library call: samplics, the one Python package
that does it, is archived and unmaintained, and statsmodels has no survey-design variances.
statsmodels gives the Wilson interval.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

import numpy as np
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from casefiles.models import Inspection
from questionset.loader import NOT_APPLICABLE
from questionset.models import Question

from .tables import QuestionTable, counted_examinations, primary_answers, question_ids, question_tables
from .weights import Cell, SampledFile, analysis_weights, inspection_frame_counts

CONFIDENCE = 0.95
ESTIMATE_COLUMNS = ["weighted_percent", "weighted_lower", "weighted_upper", "wilson_lower", "wilson_upper"]


def _one_decimal(share: float) -> Decimal:
    return Decimal(repr(100 * share)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Estimate:
    """A share (0–1), its standard error and its confidence interval."""

    share: float
    stderr: float
    lower: float
    upper: float

    @property
    def percent(self) -> Decimal:
        return _one_decimal(self.share)

    @property
    def percent_lower(self) -> Decimal:
        return _one_decimal(self.lower)

    @property
    def percent_upper(self) -> Decimal:
        return _one_decimal(self.upper)


def wilson(count: int, n: int, confidence: float = CONFIDENCE) -> tuple[float, float] | None:
    """The Wilson score interval for count/n (a share, 0–1); None when n is 0."""
    if not n:
        return None
    lower, upper = proportion_confint(count, n, alpha=1 - confidence, method="wilson")
    return float(lower), float(upper)


def variance_strata(counted: Mapping[Cell, int], frame_counts: Mapping[Cell, int]) -> dict[Cell, tuple]:
    """Cell → the variance stratum it is computed in: itself, or a collapse of one-file cells
    (see the module docstring)."""
    strata: dict[Cell, tuple] = {}
    lonely_by_stratum: dict[str, list[Cell]] = defaultdict(list)
    for cell, m in counted.items():
        if m == 1 and frame_counts[cell] > 1:
            lonely_by_stratum[cell[1]].append(cell)
        else:
            strata[cell] = ("cell", *cell)
    leftovers = []
    for code, cells in lonely_by_stratum.items():
        if len(cells) > 1:
            for cell in cells:
                strata[cell] = ("pooled", code)
        else:
            leftovers.extend(cells)
    for cell in leftovers:
        strata[cell] = ("pooled", "*") if len(leftovers) > 1 else ("cell", *cell)
    return strata


@cache
def _t_quantile(confidence: float, degrees_of_freedom: int) -> float:
    return float(stats.t.ppf(1 - (1 - confidence) / 2, degrees_of_freedom))


@dataclass
class Design:
    """Counted files (in the caller's order): weights, variance strata and their FPCs."""

    weights: np.ndarray  # analysis weight per file
    stratum: np.ndarray  # variance stratum of each file
    sizes: np.ndarray  # files per variance stratum
    fpc: np.ndarray  # 1 − f per variance stratum

    @classmethod
    def build(cls, files: Sequence[SampledFile], frame_counts: Mapping[Cell, int]) -> "Design":
        weights, _ = analysis_weights(frame_counts, files)
        counted: dict[Cell, int] = defaultdict(int)
        for f in files:
            counted[f.cell] += 1
        stratum_of_cell = variance_strata(counted, frame_counts)
        keys = sorted(set(stratum_of_cell.values()))
        index = {k: i for i, k in enumerate(keys)}
        stratum = np.array([index[stratum_of_cell[f.cell]] for f in files], dtype=int)
        sizes = np.bincount(stratum, minlength=len(keys))
        population = np.zeros(len(keys))
        for cell, key in stratum_of_cell.items():
            population[index[key]] += frame_counts[cell]
        return cls(
            weights=np.array([weights[f.id] for f in files], dtype=float),
            stratum=stratum,
            sizes=sizes,
            fpc=1 - sizes / population,
        )

    @property
    def degrees_of_freedom(self) -> int:
        return max(1, int(self.sizes.sum()) - len(self.sizes))

    def ratio(
        self, y: np.ndarray, x: np.ndarray, rows: np.ndarray | None = None, confidence: float = CONFIDENCE
    ) -> list[Estimate | None]:
        """Estimates of Σwy/Σwx for each column of y (files × options, in the caller's order);
        x (files) is the denominator's indicator. rows, when given, are the files of the group
        (a domain): y and x count as 0 for the others, which then add nothing but still count
        in their strata's sizes. None for every column when Σwx is 0."""
        if rows is not None:
            y, x = y[rows], x[rows]
        y, x = y.astype(float), x.astype(float)
        w = self.weights if rows is None else self.weights[rows]
        stratum = self.stratum if rows is None else self.stratum[rows]
        total = float(w @ x)
        if total <= 0:
            return [None] * y.shape[1]
        shares = (w @ y) / total
        z = w[:, None] * (y - shares[None, :] * x[:, None])
        strata = len(self.sizes)
        sums = np.stack([np.bincount(stratum, z[:, j], strata) for j in range(z.shape[1])], axis=1)
        squares = np.stack([np.bincount(stratum, z[:, j] ** 2, strata) for j in range(z.shape[1])], axis=1)
        n = self.sizes[:, None].astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            within = np.where(n > 1, (squares - sums * sums / n) * n / (n - 1), 0.0)
        variance = np.clip((self.fpc[:, None] * within).sum(axis=0), 0, None) / total**2
        stderr = np.sqrt(variance)
        t = _t_quantile(confidence, self.degrees_of_freedom)
        return [
            Estimate(float(s), float(e), float(max(0.0, s - t * e)), float(min(1.0, s + t * e)))
            for s, e in zip(shares, stderr, strict=True)
        ]


Key = tuple[str, str, str, str]  # question, breakdown, group, option


@dataclass
class Estimates:
    """Weighted estimates by (question, breakdown, group, option); None when the inspection
    has no draw record (no frame counts, so no weights)."""

    by_key: dict[Key, Estimate | None]
    degrees_of_freedom: int
    files: int

    def get(self, question: str, breakdown: str, group: str, option: str) -> Estimate | None:
        return self.by_key.get((question, breakdown, group, option))


def _chosen_matrix(values: Mapping[int, str], options: list[str], is_multi: bool, rows: int) -> tuple:
    """(files × options indicator of options chosen, files indicator of answering anything but na)."""
    y = np.zeros((rows, len(options)), dtype=np.int8)
    x = np.zeros(rows, dtype=np.int8)
    column = {code: j for j, code in enumerate(options)}
    for i, value in values.items():
        codes = [c for c in (value.split("|") if is_multi else [value]) if c in column]
        for code in codes:
            y[i, column[code]] = 1
        if any(c != NOT_APPLICABLE for c in codes):
            x[i] = 1
    return y, x


def weighted_estimates(inspection: Inspection, tables: list[QuestionTable]) -> Estimates | None:
    """Weighted estimates for every question, breakdown group and option of these tables."""
    frame_counts = inspection_frame_counts(inspection)
    if frame_counts is None or not tables:
        return None
    examinations = list(
        counted_examinations(inspection).order_by("pk").values_list("pk", "case_file__area_id", "case_file__stratum")
    )
    if not examinations:
        return Estimates({}, 0, 0)
    row_of = {pk: i for i, (pk, _, _) in enumerate(examinations)}
    design = Design.build([SampledFile(pk, (area, stratum)) for pk, area, stratum in examinations], frame_counts)

    codes = [t.code for t in tables]
    ids = question_ids(inspection, codes)
    values: dict[str, dict[int, str]] = defaultdict(dict)
    answers = primary_answers(inspection).filter(question_id__in=list(ids))
    for exam_id, question_id, value in answers.values_list("examination_id", "question_id", "value").iterator(5000):
        if exam_id in row_of:
            values[ids[question_id]][row_of[exam_id]] = value

    groups_of: dict[str, np.ndarray] = {}
    for block in tables[0].breakdowns:
        breakdown = block.breakdown
        decode = breakdown.decoder()
        group = np.empty(len(examinations), dtype=object)
        for pk, value in (
            counted_examinations(inspection).annotate(g=breakdown.expression("case_file__")).values_list("pk", "g")
        ):
            group[row_of[pk]] = decode(value) if breakdown.code != "all" else "all"
        groups_of[breakdown.code] = group

    members: dict[tuple[str, str], np.ndarray] = {}  # the rows of each breakdown group
    by_key: dict[Key, Estimate | None] = {}
    for table in tables:
        options = [o.code for o in table.options]
        y, x = _chosen_matrix(values[table.code], options, table.answer_type == Question.Type.MULTI, len(examinations))
        for block in table.breakdowns:
            group = groups_of[block.breakdown.code]
            for row in block.rows:
                mask_key = (block.breakdown.code, row.group)
                if mask_key not in members:
                    members[mask_key] = np.flatnonzero(group == row.group)
                results = design.ratio(y, x, members[mask_key])
                for code, estimate in zip(options, results, strict=True):
                    key = (table.code, block.breakdown.code, row.group, code)
                    by_key[key] = None if code == NOT_APPLICABLE else estimate
    return Estimates(by_key, design.degrees_of_freedom, len(examinations))


def estimate_cells(
    estimates: Estimates | None, question: str, breakdown: str, group: str, option: str, count: int, n: int
) -> list[float | None]:
    """The data sheet's columns after SPEC's six (ESTIMATE_COLUMNS), as percentages to one decimal."""
    cells: list[float | None] = [None] * len(ESTIMATE_COLUMNS)
    estimate = estimates.get(question, breakdown, group, option) if estimates else None
    if estimate is not None:
        cells[:3] = [float(estimate.percent), float(estimate.percent_lower), float(estimate.percent_upper)]
    interval = wilson(count, n) if option != NOT_APPLICABLE else None
    if interval is not None:
        cells[3:] = [float(_one_decimal(interval[0])), float(_one_decimal(interval[1]))]
    return cells


def national_estimates(estimates: Estimates | None, tables: Iterable[QuestionTable]) -> dict[str, list[dict]]:
    """Question code → its options' national figures (unweighted and weighted, with intervals), for the PDF."""
    out: dict[str, list[dict]] = {}
    for table in tables:
        overall = table.overall
        rows = []
        for option, count, pct in overall.answered_cells:
            estimate = estimates.get(table.code, "all", "all", option.code) if estimates else None
            interval = wilson(count, overall.n)
            rows.append(
                {
                    "label": option.label,
                    "count": count,
                    "percent": pct,
                    "wilson": tuple(_one_decimal(v) for v in interval) if interval else None,
                    "weighted": estimate,
                }
            )
        out[table.code] = rows
    return out


WEIGHTED_NOTE = (
    "Weighted figures: every Area has the same quota per stratum whatever its caseload, so each file is "
    "weighted by the frame cases of its Area and stratum over the files counted there; weighted_percent is "
    "the estimate for the whole frame (or the group), weighted_lower/upper its 95% confidence interval "
    "(stratified design, Taylor linearisation, finite population correction). wilson_lower/upper: the 95% "
    "Wilson interval of the unweighted percent. Empty where there is nothing to divide by, or no draw record."
)


def data_sheet_rows(tables: list[QuestionTable], estimates: Estimates | None) -> Iterator[list]:
    """The `data` sheet's rows: SPEC's six columns (as tables.data_rows), then ESTIMATE_COLUMNS."""
    for table in tables:
        for block in table.breakdowns:
            code = block.breakdown.code
            for row in block.rows:
                for option, count, pct in row.cells:
                    yield [
                        table.code,
                        code,
                        row.group,
                        option.code,
                        count,
                        None if pct is None else float(pct),
                        *estimate_cells(estimates, table.code, code, row.group, option.code, count, row.n),
                    ]


@dataclass(frozen=True)
class WeightingSummary:
    """What the PDF's notes say about the weights of this report."""

    frame_cases: int  # frame cases in the cells with counted files
    files: int  # counted files
    cells: int  # Area × stratum cells with counted files
    smallest_weight: float
    largest_weight: float
    degrees_of_freedom: int

    @property
    def ratio(self) -> float:
        return self.largest_weight / self.smallest_weight


def weighting_summary(inspection: Inspection) -> WeightingSummary | None:
    frame_counts = inspection_frame_counts(inspection)
    if frame_counts is None:
        return None
    files = [
        SampledFile(pk, (area, stratum))
        for pk, area, stratum in counted_examinations(inspection).values_list(
            "pk", "case_file__area_id", "case_file__stratum"
        )
    ]
    if not files:
        return None
    weights, _ = analysis_weights(frame_counts, files)
    cells = {f.cell for f in files}
    return WeightingSummary(
        frame_cases=sum(frame_counts[c] for c in cells),
        files=len(files),
        cells=len(cells),
        smallest_weight=min(weights.values()),
        largest_weight=max(weights.values()),
        degrees_of_freedom=Design.build(files, frame_counts).degrees_of_freedom,
    )


def headline_estimates(inspection: Inspection, codes: list[str]) -> dict[str, list[dict]]:
    """Question code → national figures per option (see national_estimates), for these questions."""
    if not codes:
        return {}
    tables = question_tables(inspection, {"questions": codes}, breakdowns=[])
    return national_estimates(weighted_estimates(inspection, tables), tables)
