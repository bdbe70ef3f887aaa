"""Report tables: counts and percentages per answer option, for every breakdown group.

Counting is done by the database, once: one GROUP BY over the answers at the finest grain
any table needs (question, value, the file's Area, stratum and every breakdown's group —
AnswerCounts), rolled up per breakdown in Python; the combinations of groups are few, so
this is a few thousand rows whatever the number of files. Only primary, submitted
examinations count. Questions and
options come from the inspection's current question set; codes are stable across
versions, so answers given against an older version are counted under the same code.
"""

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection, transaction
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
        the Area, which is its id (AnswerCounts.group_of names it) so the big GROUP BY needs
        no join to Areas."""
        if self.code == "all":
            return Value("all", output_field=CharField())
        if self.code == "area":
            return F(f"{prefix}area_id")
        # The JSON key's text, grouped by the database; an empty value is the group "none".
        value = KeyTextTransform(self.code, f"{prefix}attributes")
        return Coalesce(NullIf(value, Value("")), Value(EMPTY_GROUP), output_field=CharField())

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
    """The answers the tables count: those of primary, submitted examinations."""
    return Answer.objects.filter(
        examination__in=Examination.objects.primary().submitted().filter(case_file__inspection=inspection)
    )


def counted_examinations(inspection: Inspection):
    """The examinations the tables count: primary, submitted, with at least one answer."""
    return (
        Examination.objects.primary()
        .submitted()
        .filter(case_file__inspection=inspection)
        .filter(Exists(Answer.objects.filter(examination=OuterRef("pk"))))
    )


def report_questions(inspection: Inspection, parameters: dict | None = None) -> list[Question]:
    """The choice and multiple-choice questions of the current question set the parameters select.

    parameters["sections"] and parameters["questions"] are lists of codes; a question is
    selected when its section or its own code is named; naming neither selects them all.
    """
    parameters = parameters or {}
    sections, codes = set(parameters.get("sections") or []), set(parameters.get("questions") or [])
    questions = (
        Question.objects.in_page_order(inspection.question_set)
        .filter(answer_type__in=[Question.Type.CHOICE, Question.Type.MULTI])
        .with_options()
    )
    if sections or codes:
        questions = [q for q in questions if q.section.code in sections or q.code in codes]
    return list(questions)


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


Combination = tuple  # (Area id, stratum, then each counted attribute breakdown's group)


@dataclass
class AnswerCounts:
    """The answers of the counted files, counted once at the finest grain any of the report's
    tables needs: by question, stored value, and the combination of the file's Area, stratum
    and group in every breakdown counted. Every figure of the report — question tables per
    breakdown, headline tables crossing two breakdowns, the weighted estimates (whose design
    cells are Area × stratum) — is a sum over these rows, done in Python.

    answers: question code → (stored value, combination) → answers; files: combination →
    counted files (examinations with at least one answer)."""

    breakdowns: list[Breakdown]  # the attribute breakdowns counted, in the combination's order
    areas: dict[int, str]  # Area id → name, the Area breakdown's groups
    answers: dict[str, dict[tuple[str, Combination], int]]
    files: dict[Combination, int]

    @property
    def files_counted(self) -> int:
        return sum(self.files.values())

    def group_of(self, breakdown: Breakdown) -> dict[Combination, str]:
        """Each combination's group in this breakdown, as export_results writes it."""
        if breakdown.code == "all":
            return dict.fromkeys(self.files, "all")
        if breakdown.code == "area":
            return {combination: self.areas[combination[0]] for combination in self.files}
        position = 2 + next(i for i, b in enumerate(self.breakdowns) if b.code == breakdown.code)
        return {combination: combination[position] for combination in self.files}

    def groups(self, breakdown: Breakdown) -> list[str]:
        """Every group of this breakdown among the counted files, in display order. Every
        question gets a row for every group, so a group that never answered a question shows
        as zeros rather than disappearing."""
        return sorted(set(self.group_of(breakdown).values()), key=breakdown.sort_key)

    def by_group(self, breakdown: Breakdown) -> dict[tuple[str, str], dict[str, int]]:
        """(question code, group) → stored value → answers: the counts rolled up to one breakdown."""
        group = self.group_of(breakdown)
        rolled: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for question, counted in self.answers.items():
            for (value, combination), n in counted.items():
                rolled[(question, group[combination])][value] += n
        return rolled

    def crossed(self, code: str, rows: Breakdown, columns: Breakdown) -> dict[tuple[str, str, str], int]:
        """(row group, column group, stored value) → answers to one question: two breakdowns crossed."""
        row_of, column_of = self.group_of(rows), self.group_of(columns)
        rolled: dict[tuple[str, str, str], int] = defaultdict(int)
        for (value, combination), n in self.answers.get(code, {}).items():
            rolled[(row_of[combination], column_of[combination], value)] += n
        return rolled

    def cells(self) -> dict[tuple[int, str], int]:
        """(Area id, stratum) → counted files: the design's cells (reports.weights)."""
        counted: dict[tuple[int, str], int] = defaultdict(int)
        for combination, n in self.files.items():
            counted[combination[:2]] += n
        return dict(counted)


@contextmanager
def grouping_in_memory() -> Iterator[None]:
    """On PostgreSQL, the queries inside may use REPORTS_COUNT_WORK_MEM to group (SET LOCAL,
    so only this transaction's) and are not JIT-compiled (compiling took longer than it saved):
    the planner, expecting nearly a group an answer, would otherwise sort every answer on disk."""
    work_mem = getattr(settings, "REPORTS_COUNT_WORK_MEM", "")
    if connection.vendor != "postgresql" or not work_mem:
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('work_mem'), current_setting('jit'),"
            " set_config('work_mem', %s, true), set_config('jit', 'off', true)",
            [work_mem],
        )
        before = cursor.fetchone()[:2]
        try:
            yield
        finally:  # within a caller's transaction too, the queries after it keep the setting they had
            cursor.execute("SELECT set_config('work_mem', %s, true), set_config('jit', %s, true)", before)


def answer_counts(inspection: Inspection, codes: list[str], breakdowns: list[Breakdown]) -> AnswerCounts:
    """AnswerCounts for these questions and breakdowns (the Area, stratum and "all" always
    come with them): two GROUP BY queries, one over the answers and one over the counted
    files, whatever the number of breakdowns. Case attributes live in JSON, so each answer's
    file is read once rather than once per breakdown (README, "Case attributes: aggregation")."""
    attributes = [b for b in breakdowns if b.attribute]
    ids = question_ids(inspection, codes)

    def keys(prefix: str) -> dict[str, Combinable]:
        return {
            "cell_area": F(f"{prefix}area_id"),
            "cell_stratum": F(f"{prefix}stratum"),
            **{f"g{i}": b.expression(prefix) for i, b in enumerate(attributes)},
        }

    def grouped(queryset, prefix: str, *fields: str):
        """Rows of the fields, then the Area id, stratum, each breakdown's group, and a count."""
        combination = keys(prefix)
        return queryset.annotate(**combination).values_list(*fields, *combination).annotate(n=Count("id")).order_by()

    answers: dict[str, dict[tuple[str, Combination], int]] = defaultdict(lambda: defaultdict(int))
    answered = primary_answers(inspection).filter(question_id__in=list(ids))
    with grouping_in_memory():
        rows = list(grouped(answered, "examination__case_file__", "question_id", "value"))
    for question_id, value, area, stratum, *groups, n in rows:  # aggregated: a few thousand rows
        answers[ids[question_id]][(value, (area, stratum, *map(str, groups)))] += n
    files = {
        (area, stratum, *map(str, groups)): n
        for area, stratum, *groups, n in grouped(counted_examinations(inspection), "case_file__")
    }
    areas = dict(Area.objects.filter(pk__in={c[0] for c in files}).values_list("id", "name"))
    return AnswerCounts(attributes, areas, {q: dict(c) for q, c in answers.items()}, files)


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
    inspection: Inspection,
    parameters: dict | None = None,
    breakdowns: list[str] | None = None,
    counts: AnswerCounts | None = None,
) -> list[QuestionTable]:
    """One table per selected choice question, with a block per breakdown ("all" first).

    breakdowns defaults to the parameters' breakdowns; "all" is always included. counts:
    the answers already counted for these questions and breakdowns (or more: see
    reports.parameters.report_counts), else they are counted here."""
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
    if counts is None:
        counts = answer_counts(inspection, codes, [known[code] for code in chosen[1:]])
    for code in chosen:
        breakdown = known[code]
        groups = counts.groups(breakdown) if code != "all" else ["all"]
        by_question_group = counts.by_group(breakdown)
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
