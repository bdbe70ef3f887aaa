"""Comparison with an earlier inspection: per mapped question and option, both percentages,
the difference (this inspection minus the earlier one) and its 95% confidence interval.

The earlier inspection is one in the app, or the CSV its export_results wrote (primary
examinations only are used). Questions are mapped by code: the same code by default, or as
the writer maps them (`CURRENT = EARLIER`, one a line); options are matched by code.

The interval for the unweighted difference is Newcombe's hybrid score interval (method 10
of Newcombe 1998, built from the two Wilson intervals; statsmodels), which behaves near 0%
and 100% where the simple Wald interval does not. When both inspections are in the app with
a draw record, the difference of the weighted estimates is given too, with the interval
d ± 1.96 √(se₁² + se₂²) from their design-based standard errors (independent samples).
"""

import csv
import io
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from statsmodels.stats.proportion import confint_proportions_2indep

from casefiles.models import Inspection
from questionset.loader import NOT_APPLICABLE

from .estimates import Estimate, weighted_estimates
from .tables import question_tables

Z95 = 1.959964


@dataclass
class Side:
    """One inspection's answers: per question, files choosing each option and files answering (na aside)."""

    name: str
    counts: dict[str, Counter] = field(default_factory=dict)
    answered: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # question code → text
    options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # question → (code, label)
    weighted: dict[tuple[str, str], Estimate | None] = field(default_factory=dict)


class ResultsUnreadable(ValueError):
    pass


def side_from_results_csv(name: str, content: bytes | str) -> Side:
    """An earlier inspection from its export_results CSV: primary examinations only."""
    try:
        text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ResultsUnreadable(f"not a readable UTF-8 CSV file ({exc})") from exc
    if not rows or not {"question", "answer", "examination"} <= set(rows[0]):
        raise ResultsUnreadable("not an export_results file: it needs the columns examination, question and answer")
    side = Side(name)
    counts: dict[str, Counter] = defaultdict(Counter)
    answered: Counter = Counter()
    for row in rows:
        if row["examination"] != "primary":
            continue
        codes = [c for c in row["answer"].split("|") if c]
        counts[row["question"]].update(codes)
        if any(c != NOT_APPLICABLE for c in codes):
            answered[row["question"]] += 1
    side.counts, side.answered = dict(counts), dict(answered)
    return side


def side_from_inspection(inspection: Inspection) -> Side:
    tables = question_tables(inspection, {}, breakdowns=[])
    side = Side(inspection.name)
    estimates = weighted_estimates(inspection, tables)
    for table in tables:
        overall = table.overall
        side.counts[table.code] = Counter({o.code: c for o, c, _ in overall.cells})
        side.answered[table.code] = overall.n
        side.labels[table.code] = table.text
        side.options[table.code] = [(o.code, o.label) for o in table.real_options]
        for option in table.real_options:
            side.weighted[(table.code, option.code)] = (
                estimates.get(table.code, "all", "all", option.code) if estimates else None
            )
    return side


def parse_mapping(text: str, current: list[str], earlier: list[str]) -> tuple[dict[str, str], list[str]]:
    """(current code → earlier code, problems). Empty text maps every code the two share."""
    if not text.strip():
        return {code: code for code in current if code in set(earlier)}, []
    mapping, problems = {}, []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        left, sep, right = line.partition("=")
        left, right = left.strip(), right.strip()
        if not sep or not left or not right:
            problems.append(f"Line {number}: write THIS = EARLIER, for example LD7 = Q12")
        elif left not in current:
            problems.append(f"Line {number}: there is no choice question {left} in this inspection")
        elif right not in earlier:
            problems.append(f"Line {number}: the earlier inspection has no answers to {right}")
        else:
            mapping[left] = right
    return mapping, problems


@dataclass(frozen=True)
class ComparisonRow:
    question: str
    earlier_question: str
    text: str
    option: str
    label: str
    current_count: int
    current_n: int
    earlier_count: int
    earlier_n: int
    difference: float | None  # percentage points, this minus earlier
    lower: float | None
    upper: float | None
    weighted_difference: float | None = None
    weighted_lower: float | None = None
    weighted_upper: float | None = None

    @staticmethod
    def _percent(count: int, n: int) -> float | None:
        return round(100 * count / n, 1) if n else None

    @property
    def current_percent(self) -> float | None:
        return self._percent(self.current_count, self.current_n)

    @property
    def earlier_percent(self) -> float | None:
        return self._percent(self.earlier_count, self.earlier_n)

    @property
    def significant(self) -> bool:
        return self.lower is not None and (self.lower > 0 or self.upper < 0)


def difference_interval(count1: int, n1: int, count2: int, n2: int) -> tuple[float, float] | None:
    """Newcombe's 95% interval for count1/n1 − count2/n2 (shares), or None when either n is 0."""
    if not n1 or not n2:
        return None
    lower, upper = confint_proportions_2indep(count1, n1, count2, n2, method="newcomb", compare="diff", alpha=0.05)
    return float(lower), float(upper)


def compare(current: Side, earlier: Side, mapping: dict[str, str]) -> list[ComparisonRow]:
    rows = []
    for code, earlier_code in mapping.items():
        for option, label in current.options.get(code, []):
            c, n1 = current.counts.get(code, Counter())[option], current.answered.get(code, 0)
            e, n2 = earlier.counts.get(earlier_code, Counter())[option], earlier.answered.get(earlier_code, 0)
            interval = difference_interval(c, n1, e, n2)
            weighted = {}
            now, then = current.weighted.get((code, option)), earlier.weighted.get((earlier_code, option))
            if now is not None and then is not None:
                d = now.share - then.share
                half = Z95 * math.hypot(now.stderr, then.stderr)
                weighted = {
                    "weighted_difference": round(100 * d, 1),
                    "weighted_lower": round(100 * (d - half), 1),
                    "weighted_upper": round(100 * (d + half), 1),
                }
            rows.append(
                ComparisonRow(
                    question=code,
                    earlier_question=earlier_code,
                    text=current.labels.get(code, ""),
                    option=option,
                    label=label,
                    current_count=c,
                    current_n=n1,
                    earlier_count=e,
                    earlier_n=n2,
                    difference=round(100 * (c / n1 - e / n2), 1) if interval else None,
                    lower=round(100 * interval[0], 1) if interval else None,
                    upper=round(100 * interval[1], 1) if interval else None,
                    **weighted,
                )
            )
    return rows


class ComparisonRefused(ValueError):
    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def inspections_compare(
    *, inspection: Inspection, earlier: Inspection | None, results: UploadedFile | None = None, mapping: str = ""
) -> tuple[list[ComparisonRow], str]:
    """(rows, the earlier inspection's name) for the comparison page; raises ComparisonRefused
    (naming the form field at fault) when the CSV cannot be read or the mapping is wrong."""
    current = side_from_inspection(inspection)
    if earlier is not None:
        before = side_from_inspection(earlier)
    else:
        try:
            before = side_from_results_csv(results.name, results.read())
        except ResultsUnreadable as exc:
            raise ComparisonRefused("results", f"The file cannot be used: {exc}") from exc
    pairs, problems = parse_mapping(mapping, list(current.options), list(before.counts))
    if problems:
        raise ComparisonRefused("mapping", "; ".join(problems))
    if not pairs:
        raise ComparisonRefused(
            "mapping", "No question of this inspection has the same code as an earlier one: map them"
        )
    return compare(current, before, pairs), before.name
