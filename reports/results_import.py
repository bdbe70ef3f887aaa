"""import_results: the inverse of export_results — answers recorded elsewhere (a pilot
spreadsheet, a consistency exercise done on paper) brought into an inspection whose sample
is drawn.

The CSV has export_results' columns, one row per answer of a submitted examination. Every
row is checked before anything is stored; one bad row refuses the whole file, and every bad
row is named by line and column (the first 100 problems, then how many more). Rows are
grouped into examinations by (urn, examination, inspector); each becomes a submitted
examination of the inspection's current question-set version, with its answers and their
history rows (source "import"). Importing what export_results wrote into a fresh inspection
with the same sample drawn, then exporting again, gives the same file byte for byte.
"""

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from casefiles.models import CaseFile, Examination, ExaminationEvent, Inspection
from casefiles.services import answers_record_new
from casefiles.spreadsheet_safety import unsafe_cell
from questionset.models import Question

from .exports import results_columns

MAX_LISTED = 100


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


class ResultsInvalid(ValueError):
    """The file was refused whole; errors name every problem found, by line and column."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        self.bad_lines = sorted({e.line for e in errors})
        listed = "; ".join(str(e) for e in errors[:MAX_LISTED])
        more = len(errors) - MAX_LISTED
        super().__init__(listed + (f"; and {more:,} more" if more > 0 else ""))


@dataclass
class ImportedExaminations:
    examinations: int
    answers: int


def _case_values(case_file: CaseFile) -> dict[str, str]:
    """The file's case columns as export_results writes them."""
    return {"area": case_file.area.name, **case_file.attributes}


def _check_value(question: Question, value: str, options: set[str]) -> str | None:
    """What is wrong with this stored answer for the question, or None."""
    if value == "":
        return None  # export_results writes a cleared answer as empty
    if question.answer_type == Question.Type.CHOICE:
        return None if value in options else f"'{value}' is not an option of {question.code}"
    if question.answer_type == Question.Type.MULTI:
        unknown = [c for c in value.split("|") if c not in options]
        return f"{', '.join(repr(c) for c in unknown)} not options of {question.code}" if unknown else None
    if question.answer_type == Question.Type.NUMBER:
        try:
            float(value)
        except ValueError:
            return f"'{value}' is not a number"
        return None
    if question.answer_type == Question.Type.DATE:
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return f"'{value}' is not a date (YYYY-MM-DD)"
    return None


def _read(content: bytes | str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None) or []
    rows = []
    line = reader.line_num + 1
    for values in reader:
        if any(v.strip() for v in values):
            # export_results wrote formula-leading cells after an apostrophe: read them back as they were.
            cells = [unsafe_cell(v) for v in values]
            rows.append((line, dict(zip(header, cells, strict=False)) | {"_width": str(len(values))}))
        line = reader.line_num + 1
    return header, rows


@transaction.atomic
def results_import(*, inspection: Inspection, content: bytes | str, user=None) -> ImportedExaminations:
    """Check every row, then store every examination; raises ResultsInvalid and stores nothing on any error."""
    try:
        header, rows = _read(content)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ResultsInvalid([RowError(1, "-", f"not a readable UTF-8 CSV file ({exc})")]) from exc
    columns = results_columns(inspection)  # urn, area, the plan's attributes, then the answer's
    # The case columns: every column export_results writes between the URN and the examination kind.
    case_columns = columns[1 : columns.index("examination")]
    if header != columns:
        raise ResultsInvalid([RowError(1, "header", f"the columns must be exactly {','.join(columns)}")])
    if inspection.question_set is None:
        raise ResultsInvalid([RowError(1, "-", "the inspection has no question set")])

    files = {f.urn: f for f in CaseFile.objects.filter(inspection=inspection).select_related("area")}
    questions = {
        q.code: q for q in Question.objects.filter(question_set=inspection.question_set).prefetch_related("options")
    }
    options = {code: {o.code for o in q.options.all()} for code, q in questions.items()}
    users = {u.username: u for u in get_user_model().objects.filter(username__in={r["inspector"] for _, r in rows})}
    kinds = set(Examination.Kind.values)

    errors: list[RowError] = []
    groups: dict[tuple[str, str, str], dict[str, tuple[str, str]]] = defaultdict(dict)
    first_line: dict[tuple[str, str, str], int] = {}
    for line, row in rows:
        if row.pop("_width") != str(len(columns)):
            errors.append(RowError(line, "-", f"the row must have {len(columns)} values"))
            continue
        row_errors = []
        case_file = files.get(row["urn"])
        if case_file is None:
            row_errors.append(RowError(line, "urn", f"no file {row['urn']!r} in this inspection's sample"))
        else:
            expected = _case_values(case_file)
            for column in case_columns:
                if row[column] != expected.get(column, ""):
                    row_errors.append(
                        RowError(line, column, f"{row[column]!r} but the file's {column} is {expected.get(column)!r}")
                    )
        if row["examination"] not in kinds:
            row_errors.append(RowError(line, "examination", f"{row['examination']!r} is not one of {sorted(kinds)}"))
        if row["inspector"] not in users:
            row_errors.append(RowError(line, "inspector", f"no account {row['inspector']!r}"))
        question = questions.get(row["question"])
        if question is None:
            row_errors.append(RowError(line, "question", f"no question {row['question']!r} in the question set"))
        else:
            problem = _check_value(question, row["answer"], options[question.code])
            if problem:
                row_errors.append(RowError(line, "answer", problem))
        key = (row["urn"], row["examination"], row["inspector"])
        if not row_errors and row["question"] in groups[key]:
            row_errors.append(RowError(line, "question", f"{row['question']} is answered twice in this examination"))
        errors.extend(row_errors)
        if not row_errors:
            groups[key][row["question"]] = (row["answer"], row["comment"])
            first_line.setdefault(key, line)

    primaries: dict[str, int] = {}
    for (urn, kind, username), line in first_line.items():
        case_file = files[urn]
        if kind == Examination.Kind.PRIMARY:
            if urn in primaries:
                errors.append(RowError(line, "inspector", f"{urn} has a second primary examination"))
            primaries[urn] = line
            if Examination.objects.filter(case_file=case_file, kind=kind).exists():
                errors.append(RowError(line, "examination", f"{urn} already has a primary examination"))
        elif Examination.objects.filter(case_file=case_file, kind=kind, examiner=users[username]).exists():
            errors.append(RowError(line, "examination", f"{urn} already has a {kind} examination by {username}"))
    if errors:
        order = {column: i for i, column in enumerate(columns)}
        raise ResultsInvalid(sorted(errors, key=lambda e: (e.line, order.get(e.column, -1))))

    now = timezone.now()
    answers = 0
    for (urn, kind, username), given in groups.items():
        examiner = users[username]
        examination = Examination.objects.create(
            case_file=files[urn],
            kind=kind,
            examiner=examiner,
            question_set=inspection.question_set,
            status=Examination.Status.SUBMITTED,
            submitted_at=now,
        )
        answers += answers_record_new(
            examination=examination,
            values={questions[code]: value for code, value in given.items()},
            user=user or examiner,
            source="import",
        )
        ExaminationEvent.objects.create(
            examination=examination, kind=ExaminationEvent.Kind.SUBMITTED, reason="Imported", by=user or examiner
        )
    return ImportedExaminations(len(groups), answers)
