"""Report tables: counts and percentages per answer option, for every breakdown group.

Counting is done by the database (one GROUP BY query per breakdown); Python only lays
the aggregated rows out. Only primary, submitted examinations count. Questions and
options come from the inspection's current question set; codes are stable across
versions, so answers given against an older version are counted under the same code.
"""

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import CharField, Count, Exists, F, OuterRef, Value
from django.db.models.expressions import Combinable
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce, NullIf

from casefiles.attributes import Attribute
from casefiles.models import Answer, Area, Examination, Inspection
from questionset.loader import NOT_APPLICABLE
from questionset.models import Question

# Groups with fewer answers than this (not-applicable excluded) are flagged: their
# percentages move a long way with one file and must not be read as findings.
SMALL_GROUP = 5

EMPTY_GROUP = "none"  # the group of files whose attribute is empty (SPEC: the court of an NFA case)


@dataclass(frozen=True)
class Breakdown:
    code: str
    label: str
    order: tuple[str, ...] = ()  # groups in this order first, then any others alphabetically
    labels: tuple[tuple[str, str], ...] = ()
    attribute: bool = False  # a case attribute of the plan, read from CaseFile.attributes

    def expression(self, prefix: str) -> Combinable:
        """The group's value, computed by the database: as export_results writes it, except
        the Area, which is its id (see decoder) so the big GROUP BY needs no join to Areas."""
        if self.code == "all":
            return Value("all", output_field=CharField())
        if self.code == "area":
            return F(f"{prefix}area_id")
        # The JSON key's text, grouped by the database; an empty value is the group "none".
        value = KeyTextTransform(self.code, f"{prefix}attributes")
        return Coalesce(NullIf(value, Value("")), Value(EMPTY_GROUP), output_field=CharField())

    def decoder(self) -> Callable[[Any], str]:
        """Turns the expression's value into the group as export_results writes it."""
        if self.code == "area":
            names = dict(Area.objects.values_list("id", "name"))
            return lambda value: names[value]
        return str

    def group_label(self, group: str) -> str:
        return dict(self.labels).get(group, group)

    def sort_key(self, group: str) -> tuple[int, str]:
        return (self.order.index(group), "") if group in self.order else (len(self.order), group)


ALL = Breakdown("all", "All files", ("all",), (("all", "All files"),))
AREA = Breakdown("area", "CPS Area")


def attribute_breakdown(attribute: Attribute) -> Breakdown:
    empty = ((EMPTY_GROUP, attribute.empty_label),) if attribute.may_be_empty else ()
    order = attribute.codes + tuple(code for code, _ in empty)
    return Breakdown(attribute.code, attribute.label, order, (*attribute.values, *empty), attribute=True)


def breakdowns_of(inspection: Inspection) -> dict[str, Breakdown]:
    """Code → breakdown: all files, the Area, then the plan's breakdowns in the plan's order."""
    attributes = {a.code: a for a in inspection.case_attributes}
    chosen = [attributes[code] for code in inspection.plan.get("breakdowns") or [] if code in attributes]
    return {b.code: b for b in [ALL, AREA, *map(attribute_breakdown, chosen)]}


def choosable_breakdowns(inspection: Inspection) -> list[str]:
    """The breakdowns a report may choose, in order (every one but "all")."""
    return list(breakdowns_of(inspection))[1:]


def percent(count: int, denominator: int) -> Decimal | None:
    """100 × count / denominator to one decimal place, halves rounded up; None when nothing to divide by."""
    if not denominator:
        return None
    return (Decimal(100 * count) / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class OptionInfo:
    code: str
    label: str

    @property
    def is_not_applicable(self) -> bool:
        return self.code == NOT_APPLICABLE


@dataclass
class GroupRow:
    """One group's answers to one question: a count per option, aligned with the question's options."""

    group: str
    label: str
    options: list[OptionInfo]
    counts: list[int]
    n: int  # answers counted in the denominator: not-applicable excluded
    not_applicable: int
    # Option codes the publication copy withholds (reports.disclosure); empty in a working copy.
    suppressed: frozenset[str] = frozenset()

    @property
    def small(self) -> bool:
        return self.n < SMALL_GROUP

    @property
    def percents(self) -> list[Decimal | None]:
        return [
            None if o.is_not_applicable else percent(c, self.n) for o, c in zip(self.options, self.counts, strict=True)
        ]

    @property
    def cells(self) -> list[tuple[OptionInfo, int, Decimal | None]]:
        return list(zip(self.options, self.counts, self.percents, strict=True))

    @property
    def answered_cells(self) -> list[tuple[OptionInfo, int, Decimal | None]]:
        return [cell for cell in self.cells if not cell[0].is_not_applicable]


@dataclass
class BreakdownTable:
    breakdown: Breakdown
    rows: list[GroupRow]

    @property
    def has_small_groups(self) -> bool:
        return any(row.small for row in self.rows)


@dataclass
class OptionRow:
    code: str
    label: str
    count: int
    percent: Decimal | None  # None for "not applicable", or when no answers


@dataclass
class QuestionTable:
    code: str
    text: str
    section_code: str
    section_title: str
    answer_type: str
    options: list[OptionInfo]
    breakdowns: list[BreakdownTable] = field(default_factory=list)

    @property
    def is_multi(self) -> bool:
        return self.answer_type == Question.Type.MULTI

    @property
    def real_options(self) -> list[OptionInfo]:
        return [o for o in self.options if not o.is_not_applicable]

    @property
    def has_not_applicable(self) -> bool:
        return any(o.is_not_applicable for o in self.options)

    @property
    def overall(self) -> GroupRow:
        return self.breakdowns[0].rows[0]

    @property
    def answered(self) -> int:
        return self.overall.n

    @property
    def not_applicable(self) -> int:
        return self.overall.not_applicable

    @property
    def rows(self) -> list[OptionRow]:
        overall = self.overall
        return [OptionRow(o.code, o.label, c, p) for o, c, p in overall.cells]

    def breakdown(self, code: str) -> BreakdownTable:
        return next(b for b in self.breakdowns if b.breakdown.code == code)


def primary_answers(inspection: Inspection):
    return Answer.objects.filter(
        examination__case_file__inspection=inspection,
        examination__kind=Examination.Kind.PRIMARY,
        examination__status=Examination.Status.SUBMITTED,
    )


def counted_examinations(inspection: Inspection):
    """The examinations the tables count: primary, submitted, with at least one answer."""
    return Examination.objects.filter(
        case_file__inspection=inspection,
        kind=Examination.Kind.PRIMARY,
        status=Examination.Status.SUBMITTED,
    ).filter(Exists(Answer.objects.filter(examination=OuterRef("pk"))))


def report_questions(inspection: Inspection, parameters: dict | None = None) -> list[Question]:
    """The choice and multiple-choice questions of the current question set the parameters select.

    parameters["sections"] and parameters["questions"] are lists of codes; a question is
    selected when its section or its own code is named; naming neither selects them all.
    """
    parameters = parameters or {}
    sections, codes = set(parameters.get("sections") or []), set(parameters.get("questions") or [])
    questions = (
        Question.objects.filter(
            question_set=inspection.question_set, answer_type__in=[Question.Type.CHOICE, Question.Type.MULTI]
        )
        .select_related("section")
        .prefetch_related("options")
        .order_by("section__order", "order")
    )
    if sections or codes:
        questions = [q for q in questions if q.section.code in sections or q.code in codes]
    return list(questions)


def breakdown_groups(inspection: Inspection, breakdown: Breakdown) -> list[str]:
    """Every group of this breakdown among the counted files, in display order.

    Every question gets a row for every group, so a group that never answered a question
    shows as zeros rather than disappearing."""
    decode = breakdown.decoder()
    groups = {
        decode(value)
        for value in counted_examinations(inspection)
        .annotate(group=breakdown.expression("case_file__"))
        .values_list("group", flat=True)
        .distinct()
    }
    return sorted(groups, key=breakdown.sort_key)


def question_ids(inspection: Inspection, codes: list[str]) -> dict[int, str]:
    """Question id → code, for these codes in every question-set version the inspection's
    examinations used. Filtering answers by id keeps the question table out of the big
    joins, whose plans (SQLite's above all) went wrong with it in."""
    versions = set(
        Examination.objects.filter(case_file__inspection=inspection)
        .values_list("question_set_id", flat=True)
        .distinct()
    )
    versions.add(inspection.question_set_id)
    return dict(Question.objects.filter(question_set_id__in=versions, code__in=codes).values_list("id", "code"))


def grouped_counts(inspection: Inspection, breakdown: Breakdown, codes: list[str]) -> dict[tuple[str, str, str], int]:
    """(question code, group, stored value) → number of answers: one GROUP BY in the database."""
    ids = question_ids(inspection, codes)
    decode = breakdown.decoder()
    rows = (
        primary_answers(inspection)
        .filter(question_id__in=list(ids))
        .values("question_id", "value", group=breakdown.expression("examination__case_file__"))
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    for r in rows:  # at most questions × groups × options rows: already aggregated
        counts[(ids[r["question_id"]], decode(r["group"]), r["value"])] += r["n"]
    return counts


def grouped_counts_by_every(
    inspection: Inspection, breakdowns: list[Breakdown], codes: list[str]
) -> tuple[dict[str, dict[tuple[str, str, str], int]], dict[str, list[str]]]:
    """grouped_counts and breakdown_groups for several breakdowns in two GROUP BY queries, not two each.

    The answers are grouped once by question, value and every breakdown's group together
    (a few thousand rows: the groups' combinations are few), then summed up per breakdown
    in Python. Case attributes live in JSON, so this reads each answer's file once instead
    of once per breakdown (see README, "Case attributes: aggregation")."""
    ids = question_ids(inspection, codes)
    keys = {f"g{i}": b.expression("examination__case_file__") for i, b in enumerate(breakdowns)}
    decoders = [b.decoder() for b in breakdowns]
    rows = (
        primary_answers(inspection)
        .filter(question_id__in=list(ids))
        .values("question_id", "value", **keys)
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[str, dict[tuple[str, str, str], int]] = {b.code: defaultdict(int) for b in [ALL, *breakdowns]}
    for r in rows:
        question = ids[r["question_id"]]
        counts["all"][(question, "all", r["value"])] += r["n"]
        for i, b in enumerate(breakdowns):
            counts[b.code][(question, decoders[i](r[f"g{i}"]), r["value"])] += r["n"]
    file_keys = {f"g{i}": b.expression("case_file__") for i, b in enumerate(breakdowns)}
    combinations = counted_examinations(inspection).values(**file_keys).distinct().order_by()
    found: dict[str, set[str]] = {b.code: set() for b in breakdowns}
    for combination in combinations:
        for i, b in enumerate(breakdowns):
            found[b.code].add(decoders[i](combination[f"g{i}"]))
    groups = {b.code: sorted(found[b.code], key=b.sort_key) for b in breakdowns}
    return counts, groups


def group_row(question: Question, options: list[OptionInfo], group: str, label: str, given: dict[str, int]) -> GroupRow:
    """Lay out one group's aggregated answers (stored value → count) against the question's options.

    A multiple-choice value holds several codes joined by '|': each ticked option counts
    once, and the answer counts once in n. Values that are not options of the current set
    (blank, or retired codes) count nowhere."""
    index = {o.code: i for i, o in enumerate(options)}
    counts = [0] * len(options)
    n = not_applicable = 0
    for value, count in given.items():
        codes = value.split("|") if question.answer_type == Question.Type.MULTI else [value]
        codes = [c for c in codes if c in index]
        for code in codes:
            counts[index[code]] += count
        if any(c != NOT_APPLICABLE for c in codes):
            n += count
        elif codes:
            not_applicable += count
    return GroupRow(group, label, options, counts, n, not_applicable)


def question_tables(
    inspection: Inspection, parameters: dict | None = None, breakdowns: list[str] | None = None
) -> list[QuestionTable]:
    """One table per selected choice question, with a block per breakdown ("all" first).

    breakdowns defaults to the parameters' breakdowns; "all" is always included."""
    parameters = parameters or {}
    chosen = breakdowns if breakdowns is not None else parameters.get("breakdowns") or []
    known = breakdowns_of(inspection)
    chosen = ["all"] + [b for b in list(known)[1:] if b in chosen]
    questions = report_questions(inspection, parameters)
    codes = [q.code for q in questions]
    tables = [
        QuestionTable(
            q.code,
            q.text,
            q.section.code,
            q.section.title,
            q.answer_type,
            [OptionInfo(o.code, o.label) for o in q.options.all()],
        )
        for q in questions
    ]
    every_counts, every_groups = grouped_counts_by_every(inspection, [known[code] for code in chosen[1:]], codes)
    for code in chosen:
        breakdown = known[code]
        groups = every_groups[code] if code != "all" else ["all"]
        counts = every_counts[code]
        by_question_group: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
        for (question_code, group, value), n in counts.items():
            by_question_group[(question_code, group)][value] = n
        for question, table in zip(questions, tables, strict=True):
            rows = [
                group_row(question, table.options, g, breakdown.group_label(g), by_question_group[(question.code, g)])
                for g in groups
            ]
            table.breakdowns.append(BreakdownTable(breakdown, rows))
    return tables


def presentation_tables(tables: list[QuestionTable], breakdowns: list[str]) -> list[QuestionTable]:
    """The same tables showing only "all" and the chosen breakdowns, for the presentation pages."""
    keep = {"all", *breakdowns}
    return [replace(t, breakdowns=[b for b in t.breakdowns if b.breakdown.code in keep]) for t in tables]


DATA_COLUMNS = ["question", "breakdown", "group", "answer", "count", "percent"]


def data_rows(tables: list[QuestionTable]) -> Iterator[list]:
    """The tidy `data` sheet (SPEC): question × breakdown × group × option, for single- and
    multiple-choice questions (a multiple-choice option's count is the examinations that ticked
    it, its percent over those that answered anything but `na`).

    Pass tables built with every breakdown. percent is None (an empty cell) for `na`, and
    for a group with no answers but `na` to divide by."""
    for table in tables:
        for block in table.breakdowns:
            for row in block.rows:
                for option, count, pct in row.cells:
                    yield [table.code, block.breakdown.code, row.group, option.code, count, pct]
