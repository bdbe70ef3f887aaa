"""Agreement tables from the database: what the QA lead reads to say how far the team's
answers can be trusted. The arithmetic is in quality.agreement; this module gathers the
ratings and lays out rows.

Dip reviews compare each inspector's answer with the QA lead's (theirs where they agreed)
over completed reviews. A follow-up question only one of them was asked is not compared:
the disagreement is counted once, at the question that routed it. Consistency exercises
compare the participants' submitted examinations of the same files.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings

from casefiles.models import Answer, Examination, Inspection
from questionset.models import Question

from .agreement import (
    GroupAgreement,
    Interval,
    PairAgreement,
    cohen,
    group_agreement,
    group_intervals,
    pooled_cohen,
    pooled_kappa_interval,
)
from .models import DipReview, Exercise, ReviewItem

CATEGORICAL = {Question.Type.CHOICE, Question.Type.MULTI}
TOO_FEW_TO_JUDGE = "too few files to judge"


def min_files_to_flag() -> int:
    """Below this many files a question is never flagged: one disagreement in a handful of
    files says more about the file than about the guidance (settings.QA_MIN_FILES_TO_FLAG)."""
    return settings.QA_MIN_FILES_TO_FLAG


COMPARABLE = CATEGORICAL | {Question.Type.NUMBER, Question.Type.DATE}


@dataclass(frozen=True)
class QuestionInfo:
    code: str
    text: str
    section_code: str
    section_title: str
    answer_type: str
    order: tuple[int, int]

    @property
    def categorical(self) -> bool:
        return self.answer_type in CATEGORICAL


def question_infos(inspection: Inspection, extra_sets: set[int] = frozenset()) -> dict[str, QuestionInfo]:
    """Questions by code: the inspection's current version first, then any older version's
    codes (answers keep their code across versions)."""
    ids = [inspection.question_set_id, *sorted(extra_sets - {inspection.question_set_id})]
    infos: dict[str, QuestionInfo] = {}
    questions = Question.objects.filter(question_set_id__in=ids).select_related("section")
    for q in sorted(questions, key=lambda q: ids.index(q.question_set_id)):
        infos.setdefault(
            q.code,
            QuestionInfo(q.code, q.text, q.section.code, q.section.title, q.answer_type, (q.section.order, q.order)),
        )
    return dict(sorted(infos.items(), key=lambda kv: kv[1].order))


# Dip reviews ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DipPair:
    code: str
    review: int  # the review's id: the file, the unit the bootstrap resamples
    inspector: str  # username
    inspector_name: str
    inspector_value: str
    qa_value: str


@dataclass
class DipQuestionRow:
    question: QuestionInfo
    result: PairAgreement
    interval: Interval | None = None  # 95% bootstrap interval of kappa
    min_files: int = 10

    @property
    def kappa(self) -> float | None:
        return self.result.kappa if self.question.categorical else None

    @property
    def kappa_note(self) -> str:
        return self.result.note if self.question.categorical else "not for numbers, dates or text"

    @property
    def too_few(self) -> bool:
        return self.result.n < self.min_files

    @property
    def flagged(self) -> bool:
        if self.too_few:
            return False
        return self.result.flagged if self.question.categorical else self.result.percent < 80


@dataclass
class RateRow:
    """Disagreement rate of a group (an inspector, a section) over its compared answers."""

    key: str
    label: str
    compared: int
    agreed: int
    reviews: int = 0
    kappa: float | None = None
    kappa_note: str = ""
    kappa_interval: Interval | None = None

    @property
    def disagreements(self) -> int:
        return self.compared - self.agreed

    @property
    def percent(self) -> float | None:
        return 100 * self.agreed / self.compared if self.compared else None

    @property
    def disagreement_rate(self) -> float | None:
        return 100 * self.disagreements / self.compared if self.compared else None


@dataclass
class DipTables:
    questions: list[DipQuestionRow]
    inspectors: list[RateRow]
    sections: list[RateRow]
    reviews: int
    overall: RateRow

    @property
    def flagged(self) -> list[DipQuestionRow]:
        return [row for row in self.questions if row.flagged]


def dip_pairs(inspection: Inspection) -> tuple[list[DipPair], dict[str, int], set[int]]:
    """Compared answers of completed reviews; reviews per inspector; question sets seen."""
    items = (
        ReviewItem.objects.filter(review__examination__case_file__inspection=inspection)
        .exclude(review__status=DipReview.Status.IN_PROGRESS)
        .values(
            "question__code",
            "question__question_set_id",
            "review_id",
            "review__examination__examiner__username",
            "review__examination__examiner__first_name",
            "review__examination__examiner__last_name",
            "inspector_value",
            "agrees",
            "qa_value",
        )
        .order_by("review_id", "question__order")
    )
    pairs, reviews, sets = [], defaultdict(set), set()
    for row in items:
        username = row["review__examination__examiner__username"]
        name = f"{row['review__examination__examiner__first_name']} {row['review__examination__examiner__last_name']}"
        reviews[username].add(row["review_id"])
        sets.add(row["question__question_set_id"])
        qa_value = row["inspector_value"] if row["agrees"] else row["qa_value"]
        if row["inspector_value"] and qa_value:
            pairs.append(
                DipPair(
                    row["question__code"],
                    row["review_id"],
                    username,
                    name.strip() or username,
                    row["inspector_value"],
                    qa_value,
                )
            )
    return pairs, {u: len(r) for u, r in reviews.items()}, sets


def _pooled(pairs: list[DipPair], infos: dict[str, QuestionInfo]) -> tuple[PairAgreement, Interval | None]:
    """Pooled kappa over the categorical questions, with its interval resampling the files."""
    files = {review: i for i, review in enumerate(dict.fromkeys(p.review for p in pairs))}
    grouped: dict[str, dict[int, tuple[str, str]]] = defaultdict(dict)
    for p in pairs:
        if infos.get(p.code) and infos[p.code].categorical:
            grouped[p.code][files[p.review]] = (p.inspector_value, p.qa_value)
    result = pooled_cohen(list(by_file.values()) for by_file in grouped.values())
    interval = pooled_kappa_interval(list(grouped.values())) if result.kappa is not None else None
    return result, interval


def dip_tables(inspection: Inspection) -> DipTables:
    pairs, reviews, sets = dip_pairs(inspection)
    infos = question_infos(inspection, sets)
    minimum = min_files_to_flag()
    files = {review: i for i, review in enumerate(dict.fromkeys(p.review for p in pairs))}
    by_question: dict[str, dict[int, tuple[str, str]]] = defaultdict(dict)
    for p in pairs:
        by_question[p.code][files[p.review]] = (p.inspector_value, p.qa_value)
    questions = []
    for code, info in infos.items():
        if code not in by_question:
            continue
        result = cohen(by_question[code].values())
        interval = None
        if info.categorical and result.kappa is not None:
            # Resample this question's own files: pairs with a blank are left out first, as cohen does.
            answered = [pair for pair in by_question[code].values() if all(pair)]
            interval = pooled_kappa_interval([dict(enumerate(answered))])
        questions.append(DipQuestionRow(info, result, interval, minimum))

    inspectors = []
    for username in sorted(reviews):
        mine = [p for p in pairs if p.inspector == username]
        pooled, interval = _pooled(mine, infos)
        name = mine[0].inspector_name if mine else username
        agreed = sum(1 for p in mine if p.inspector_value == p.qa_value)
        row = RateRow(username, name, len(mine), agreed, reviews[username], pooled.kappa, pooled.note, interval)
        inspectors.append(row)

    sections: dict[str, RateRow] = {}
    for p in pairs:
        info = infos.get(p.code)
        key = info.section_code if info else "?"
        row = sections.setdefault(key, RateRow(key, info.section_title if info else "Other", 0, 0))
        row.compared += 1
        row.agreed += p.inspector_value == p.qa_value
    agreed = sum(1 for p in pairs if p.inspector_value == p.qa_value)
    pooled, interval = _pooled(pairs, infos)
    overall = RateRow(
        "all", "All inspectors", len(pairs), agreed, sum(reviews.values()), pooled.kappa, pooled.note, interval
    )
    section_order = list(dict.fromkeys(i.section_code for i in infos.values()))
    ordered_sections = sorted(
        sections.values(), key=lambda r: section_order.index(r.key) if r.key in section_order else 99
    )
    return DipTables(questions, inspectors, ordered_sections, sum(reviews.values()), overall)


# Consistency exercises ------------------------------------------------------------------


@dataclass
class ExerciseQuestionRow:
    question: QuestionInfo
    result: GroupAgreement
    fleiss_interval: Interval | None = None
    alpha_interval: Interval | None = None
    min_files: int = 10

    @property
    def coefficients_apply(self) -> bool:
        return self.question.categorical

    @property
    def too_few(self) -> bool:
        return self.result.units < self.min_files

    @property
    def flagged(self) -> bool:
        if self.result.percent is None or self.too_few:
            return False
        return self.result.flagged if self.question.categorical else self.result.percent < 80


@dataclass
class GridCell:
    value: str
    label: str
    differs: bool  # not the most common answer to this question on this file


@dataclass
class GridRow:
    question: QuestionInfo
    cells: list[GridCell]


@dataclass
class FileGrid:
    urn: str
    area: str
    rows: list[GridRow] = field(default_factory=list)

    @property
    def disagreements(self) -> int:
        return sum(1 for r in self.rows if any(c.differs for c in r.cells))


@dataclass
class ExerciseTables:
    exercise: Exercise
    participants: list[tuple[int, str]]  # (user id, name), the grid's columns
    questions: list[ExerciseQuestionRow]
    grids: list[FileGrid]
    submitted: int

    @property
    def flagged(self) -> list[ExerciseQuestionRow]:
        return [row for row in self.questions if row.flagged]


def _labels(question_ids: set[int]) -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for q in Question.objects.filter(pk__in=question_ids).prefetch_related("options"):
        for o in q.options.all():
            labels[q.code].setdefault(o.code, o.label)
    return labels


def _label(labels: dict[str, str], info: QuestionInfo, value: str) -> str:
    if not value or info.answer_type not in CATEGORICAL:
        return value
    return "; ".join(labels.get(c, c) for c in value.split("|"))


def exercise_tables(exercise: Exercise) -> ExerciseTables:
    """Per question agreement among the participants' submitted examinations, and per file a
    grid of who answered what."""
    examinations = list(
        Examination.objects.filter(
            exercise_link__exercise=exercise,
            kind=Examination.Kind.CONSISTENCY,
            status=Examination.Status.SUBMITTED,
        ).select_related("examiner", "case_file__area")
    )
    answers = Answer.objects.filter(examination__in=examinations).values_list(
        "examination_id", "question_id", "question__code", "value"
    )
    values: dict[tuple[int, str], str] = {}
    question_ids = set()
    for examination_id, question_id, code, value in answers:
        values[(examination_id, code)] = value
        question_ids.add(question_id)
    sets = {e.question_set_id for e in examinations}
    infos = question_infos(exercise.inspection, sets)
    labels = _labels(question_ids)
    people = sorted(
        {(e.examiner_id, e.examiner.get_full_name() or e.examiner.username) for e in examinations}, key=lambda p: p[1]
    )
    column = {user_id: i for i, (user_id, _) in enumerate(people)}
    by_file: dict[int, list[Examination]] = defaultdict(list)
    for e in examinations:
        by_file[e.case_file_id].append(e)

    questions, grids = [], []
    minimum = min_files_to_flag()
    files = sorted(by_file.values(), key=lambda es: es[0].case_file.urn)
    for examined in files:
        grids.append(FileGrid(examined[0].case_file.urn, examined[0].case_file.area.name))
    for code, info in infos.items():
        if info.answer_type not in COMPARABLE:
            continue
        units = []
        for examined, grid in zip(files, grids, strict=True):
            given = {e.examiner_id: values.get((e.pk, code), "") for e in examined}
            if not any(given.values()):
                continue
            units.append([v for v in given.values() if v])
            modal = Counter(v for v in given.values() if v).most_common()
            top = modal[0][0] if modal and (len(modal) == 1 or modal[0][1] > modal[1][1]) else None
            cells = [GridCell("", "", False) for _ in people]
            for user_id, value in given.items():
                cells[column[user_id]] = GridCell(
                    value, _label(labels[code], info, value), bool(value) and value != top
                )
            grid.rows.append(GridRow(info, cells))
        if units:
            result = group_agreement(units)
            fleiss, alpha = group_intervals(units) if info.categorical else (None, None)
            fleiss = fleiss if result.fleiss is not None else None
            alpha = alpha if result.alpha is not None else None
            questions.append(ExerciseQuestionRow(info, result, fleiss, alpha, minimum))
    return ExerciseTables(exercise, people, questions, grids, len(examinations))
