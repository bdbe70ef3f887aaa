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
The Wilson interval is the textbook formula (statsmodels' proportion_confint gives the same
figures); the normal and t quantiles come from scipy.special, so that building a report does
not import statsmodels, pandas and scipy.stats (200 MB in every process that counts).
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

import numpy as np
from django.db.models import Count
from scipy.special import ndtri, stdtrit

from casefiles.models import Inspection
from questionset.loader import NOT_APPLICABLE
from questionset.models import Question

from .tables import AnswerCounts, QuestionTable, answer_counts, counted_examinations, question_tables
from .weights import Cell, SampledFile, cell_weights_of_counts, inspection_frame_counts

CONFIDENCE = 0.95
ESTIMATE_COLUMNS = ["weighted_percent", "weighted_lower", "weighted_upper", "wilson_lower", "wilson_upper"]


def _one_decimal(share: float) -> Decimal:
    """The share as a percentage to one decimal place, halves rounded up. Snapped to nine
    places first: sums of the same figures added in another order differ in the last bits,
    and a share exactly on a half (43/80 = 53.75%) must not round down for that."""
    return Decimal(repr(round(100 * share, 9))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


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
    z = float(ndtri(1 - (1 - confidence) / 2))
    share, z2 = count / n, z * z
    centre = (share + z2 / (2 * n)) / (1 + z2 / n)
    half = z * (share * (1 - share) / n + z2 / (4 * n * n)) ** 0.5 / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


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
    return float(stdtrit(degrees_of_freedom, 1 - (1 - confidence) / 2))


@dataclass
class Design:
    """The counted files' design by Area × stratum cell: each cell's analysis weight, the
    variance stratum it is computed in, and the strata's sizes and FPCs. The weight is the
    same for every file of a cell, so an estimate needs only each cell's sums: from files
    (build, ratio) or from answers already counted by cell (of_cells, ratio_of_counts)."""

    cells: list[Cell]
    weights: np.ndarray  # analysis weight per cell
    stratum: np.ndarray  # variance stratum of each cell
    sizes: np.ndarray  # files per variance stratum
    fpc: np.ndarray  # 1 − f per variance stratum
    file_cells: np.ndarray | None = None  # build: each file's cell (an index into cells), in the caller's order

    @classmethod
    def of_cells(cls, counted: Mapping[Cell, int], frame_counts: Mapping[Cell, int]) -> "Design":
        """counted: cell → counted files (cells with none are left out)."""
        counted = {cell: m for cell, m in counted.items() if m}
        weights = cell_weights_of_counts(frame_counts, counted)
        cells = sorted(counted)
        stratum_of_cell = variance_strata(counted, frame_counts)
        keys = sorted(set(stratum_of_cell.values()))
        index = {k: i for i, k in enumerate(keys)}
        stratum = np.array([index[stratum_of_cell[c]] for c in cells], dtype=int)
        sizes = np.zeros(len(keys), dtype=int)
        population = np.zeros(len(keys))
        for cell, key in zip(cells, stratum, strict=True):
            sizes[key] += counted[cell]
            population[key] += frame_counts[cell]
        return cls(
            cells=cells,
            weights=np.array([weights[c].weight for c in cells], dtype=float),
            stratum=stratum,
            sizes=sizes,
            fpc=1 - sizes / population,
        )

    @classmethod
    def build(cls, files: Sequence[SampledFile], frame_counts: Mapping[Cell, int]) -> "Design":
        counted: dict[Cell, int] = defaultdict(int)
        for f in files:
            counted[f.cell] += 1
        design = cls.of_cells(counted, frame_counts)
        index = {cell: i for i, cell in enumerate(design.cells)}
        design.file_cells = np.array([index[f.cell] for f in files], dtype=int)
        return design

    @property
    def degrees_of_freedom(self) -> int:
        return max(1, int(self.sizes.sum()) - len(self.sizes))

    def ratio(
        self, y: np.ndarray, x: np.ndarray, rows: np.ndarray | None = None, confidence: float = CONFIDENCE
    ) -> list[Estimate | None]:
        """Estimates of Σwy/Σwx for each column of y (files × options, in the order given to
        build); x (files) is the denominator's indicator. rows, when given, are the files of
        the group (a domain): y and x count as 0 for the others, which then add nothing but
        still count in their strata's sizes. None for every column when Σwx is 0."""
        cell = self.file_cells if rows is None else self.file_cells[rows]
        if rows is not None:
            y, x = y[rows], x[rows]
        y, x = y.astype(float), x.astype(float)
        cells, columns = len(self.cells), y.shape[1]

        def by_cell(values: np.ndarray) -> np.ndarray:
            return np.stack([np.bincount(cell, values[:, j], cells) for j in range(columns)], axis=1)

        total = float(self.weights @ np.bincount(cell, x, cells))
        if total <= 0:
            return [None] * columns
        shares = (self.weights @ by_cell(y)) / total
        residuals = y - shares[None, :] * x[:, None]
        return self._estimates(shares, total, by_cell(residuals), by_cell(residuals**2), confidence)

    def ratio_of_counts(
        self, chose: np.ndarray, answered: np.ndarray, confidence: float = CONFIDENCE
    ) -> list[Estimate | None]:
        """ratio, from counts by cell: chose (cells × options) the files of the group that chose
        each option, answered (cells) those that answered anything but `na`. Exact for an
        option only a file answering can choose (every option but `na`): then each file's y
        and x are 0 or 1 with y ≤ x, so Σ(y − Rx)² over a cell is Y(1 − R)² + (X − Y)R²."""
        total = float(self.weights @ answered)
        if total <= 0:
            return [None] * chose.shape[1]
        shares = (self.weights @ chose) / total
        x = answered[:, None]
        residual_sums = chose - shares[None, :] * x
        residual_squares = chose * (1 - shares[None, :]) ** 2 + (x - chose) * shares[None, :] ** 2
        return self._estimates(shares, total, residual_sums, residual_squares, confidence)

    def _estimates(
        self, shares: np.ndarray, total: float, sums: np.ndarray, squares: np.ndarray, confidence: float
    ) -> list[Estimate | None]:
        """sums, squares: per cell and option, Σ(y − Rx) and Σ(y − Rx)² over the cell's files;
        z = w(y − Rx), w being the cell's weight."""
        strata, columns = len(self.sizes), shares.shape[0]
        w = self.weights[:, None]
        z_sums, z_squares = w * sums, w * w * squares
        sums = np.stack([np.bincount(self.stratum, z_sums[:, j], strata) for j in range(columns)], axis=1)
        squares = np.stack([np.bincount(self.stratum, z_squares[:, j], strata) for j in range(columns)], axis=1)
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


def weighted_estimates(
    inspection: Inspection, tables: list[QuestionTable], counts: AnswerCounts | None = None
) -> Estimates | None:
    """Weighted estimates for every question, breakdown group and option of these tables,
    summed by design cell from the answers counted (counts, else counted here)."""
    frame_counts = inspection_frame_counts(inspection)
    if frame_counts is None or not tables:
        return None
    breakdowns = [block.breakdown for block in tables[0].breakdowns]
    if counts is None:
        counts = answer_counts(inspection, [t.code for t in tables], breakdowns[1:])
    if not counts.files:
        return Estimates({}, 0, 0)
    design = Design.of_cells(counts.cells(), frame_counts)
    cell_of = {cell: i for i, cell in enumerate(design.cells)}
    group_of = {b.code: counts.group_of(b) for b in breakdowns}

    by_key: dict[Key, Estimate | None] = {}
    for table in tables:
        options = [o.code for o in table.options]
        column = {code: j for j, code in enumerate(options)}
        is_multi = table.answer_type == Question.Type.MULTI
        # (breakdown, group) → (files choosing each option, files answering), by cell
        sums: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        for (value, combination), n in counts.answers.get(table.code, {}).items():
            codes = list(dict.fromkeys(c for c in (value.split("|") if is_multi else [value]) if c in column))
            if not codes:
                continue
            cell = cell_of[combination[:2]]
            answered = any(c != NOT_APPLICABLE for c in codes)
            for code, group in group_of.items():
                key = (code, group[combination])
                if key not in sums:
                    sums[key] = (np.zeros((len(design.cells), len(options))), np.zeros(len(design.cells)))
                chose, answering = sums[key]
                for option in codes:
                    chose[cell, column[option]] += n
                if answered:
                    answering[cell] += n
        for block in table.breakdowns:
            for row in block.rows:
                key = (block.breakdown.code, row.group)
                results = design.ratio_of_counts(*sums[key]) if key in sums else [None] * len(options)
                for code, estimate in zip(options, results, strict=True):
                    by_key[(table.code, key[0], key[1], code)] = None if code == NOT_APPLICABLE else estimate
    return Estimates(by_key, design.degrees_of_freedom, counts.files_counted)


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


def weighting_summary(inspection: Inspection, counts: AnswerCounts | None = None) -> WeightingSummary | None:
    frame_counts = inspection_frame_counts(inspection)
    if frame_counts is None:
        return None
    if counts is not None:
        counted = counts.cells()
    else:
        rows = counted_examinations(inspection).values_list("case_file__area_id", "case_file__stratum")
        counted = {(area, stratum): n for area, stratum, n in rows.annotate(n=Count("id")).order_by()}
    if not counted:
        return None
    design = Design.of_cells(counted, frame_counts)
    return WeightingSummary(
        frame_cases=sum(frame_counts[c] for c in counted),
        files=sum(counted.values()),
        cells=len(counted),
        smallest_weight=float(design.weights.min()),
        largest_weight=float(design.weights.max()),
        degrees_of_freedom=design.degrees_of_freedom,
    )


def headline_estimates(
    inspection: Inspection, codes: list[str], counts: AnswerCounts | None = None
) -> dict[str, list[dict]]:
    """Question code → national figures per option (see national_estimates), for these
    questions; counts: their answers already counted, else counted here."""
    if not codes:
        return {}
    tables = question_tables(inspection, {"questions": codes}, breakdowns=[], counts=counts)
    return national_estimates(weighted_estimates(inspection, tables, counts), tables)
