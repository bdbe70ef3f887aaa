"""Labelled analysis files: Stata `.dta` and SPSS `.sav` (written by pyreadstat), and their codebook.

One row per counted examination (primary, submitted: the examinations the report counts),
with the file's URN, CPS Area, sampling stratum and case attributes, its design weights and
the design variables, and one variable per question:

* a single-choice question is a number, 1, 2, 3… in the order of its options (`na`
  included), whose value labels are the option labels; empty when not answered;
* a multiple-choice question is one 0/1 variable per option (`<code>_<option>`), empty when
  the question was not answered;
* number questions are numbers, date and text questions strings.

Variable labels are the question texts (Stata keeps 80 characters of a label; the codebook
has them whole). The design variables let Stata or SPSS reproduce the report's weighted
estimates: in Stata `svyset _n [pweight=weight], strata(cell) fpc(cell_frame_cases)`.
"""

import io
import math
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from casefiles.models import Answer, CaseFile, Inspection
from casefiles.spreadsheet_safety import safe_csv_writer
from questionset.models import Question

from .tables import counted_examinations
from .weights import SampledFile, analysis_weights, inspection_frame_counts, inspection_weights

STATA_LABEL = 80  # characters Stata keeps of a variable label
STATA_STRING = 2045  # the longest fixed-width string Stata 14+ stores
NAME_UNSAFE = re.compile(r"[^A-Za-z0-9_]")
CODEBOOK_COLUMNS = ["variable", "label", "type", "values", "question", "option"]


def variable_name(text: str, used: set[str]) -> str:
    """A name Stata and SPSS both accept (letters, digits, _; starting with a letter; at most
    32 characters), unique whatever the case."""
    name = NAME_UNSAFE.sub("_", text)
    if not name or not name[0].isalpha():
        name = f"q_{name}"
    name = name[:32]
    candidate, i = name, 2
    while candidate.lower() in used:
        candidate = f"{name[:29]}_{i}"
        i += 1
    used.add(candidate.lower())
    return candidate


@dataclass
class Variable:
    name: str
    label: str
    kind: str  # "number", "string", "choice", "chosen"
    values: dict[int, str] = field(default_factory=dict)
    question: str = ""
    option: str = ""
    option_label: str = ""

    @property
    def stata_label(self) -> str:
        """At most 80 characters; a multi-choice option's label keeps the option's words at its end."""
        if len(self.label) <= STATA_LABEL:
            return self.label
        if self.option_label and len(self.option_label) < STATA_LABEL - 10:
            room = STATA_LABEL - len(self.option_label) - 2
            return f"{self.label[:room].rstrip()}… {self.option_label}"
        return self.label[:STATA_LABEL]


@dataclass
class AnalysisData:
    frame: pd.DataFrame
    variables: list[Variable]

    @property
    def column_labels(self) -> list[str]:
        return [v.label for v in self.variables]

    @property
    def value_labels(self) -> dict[str, dict[int, str]]:
        return {v.name: v.values for v in self.variables if v.values}

    def codebook_rows(self) -> list[list[str]]:
        return [
            [
                v.name,
                v.label,
                v.kind,
                "; ".join(f"{code} = {label}" for code, label in v.values.items()),
                v.question,
                v.option,
            ]
            for v in self.variables
        ]


def _coded(values: list[str]) -> dict[str, int]:
    return {v: i for i, v in enumerate(sorted(set(values)), start=1)}


def analysis_data(inspection: Inspection) -> AnalysisData:
    """The table behind the .dta and .sav files, with its labels."""
    examinations = list(
        counted_examinations(inspection)
        .order_by("case_file__urn")
        .values_list("pk", "case_file_id", "examiner__username")
    )
    files = CaseFile.objects.filter(inspection=inspection).select_related("area").in_bulk()
    areas = {pk: f.area.name for pk, f in files.items()}
    used: set[str] = set()
    variables: list[Variable] = []
    columns: dict[str, list] = {}

    def add(variable: Variable, column: list) -> None:
        variables.append(variable)
        columns[variable.name] = column

    add(Variable(variable_name("urn", used), "Unique reference number of the case", "string"), [])
    columns["urn"] = [files[f].urn for _, f, _ in examinations]

    area_codes = _coded([areas[f] for _, f, _ in examinations])
    add(
        Variable(variable_name("area", used), "CPS Area", "choice", {c: f"CPS {a}" for a, c in area_codes.items()}),
        [area_codes[areas[f]] for _, f, _ in examinations],
    )
    stratum_labels = {s["code"]: s["label"] for s in (inspection.plan or {}).get("strata", [])}
    strata = [files[f].stratum for _, f, _ in examinations]
    stratum_codes = {s: i for i, s in enumerate(stratum_labels, start=1)}
    for s in strata:
        stratum_codes.setdefault(s, len(stratum_codes) + 1)
    add(
        Variable(
            variable_name("stratum", used),
            "Sampling stratum",
            "choice",
            {c: stratum_labels.get(s, s) for s, c in stratum_codes.items()},
        ),
        [stratum_codes[s] for s in strata],
    )
    attributes = [files[f].attributes for _, f, _ in examinations]
    for key in [a.code for a in inspection.case_attributes]:  # the plan's attributes, in its order
        add(
            Variable(variable_name(key, used), f"Case attribute: {key.replace('_', ' ')}", "string"),
            [a.get(key, "") for a in attributes],
        )
    add(
        Variable(variable_name("inspector", used), "Inspector who examined the file", "string"),
        [username for _, _, username in examinations],
    )

    frame_counts = inspection_frame_counts(inspection)
    sampled = [SampledFile(f, (files[f].area_id, files[f].stratum)) for _, f, _ in examinations]
    design = inspection_weights(inspection) or {}
    weights = analysis_weights(frame_counts, sampled)[0] if frame_counts is not None and sampled else {}
    cell_codes = _coded([f"{areas[s.id]}: {s.cell[1]}" for s in sampled])
    add(
        Variable(
            variable_name("cell", used),
            "Design stratum: CPS Area × sampling stratum",
            "choice",
            {c: name for name, c in cell_codes.items()},
        ),
        [cell_codes[f"{areas[s.id]}: {s.cell[1]}"] for s in sampled],
    )
    nan = math.nan
    add(
        Variable(variable_name("cell_frame_cases", used), "Frame cases in the Area × stratum cell", "number"),
        [frame_counts[s.cell] if frame_counts else nan for s in sampled],
    )
    add(
        Variable(
            variable_name("design_weight", used), "Design weight: cell frame cases / files in the sample", "number"
        ),
        [design.get(s.id, nan) for s in sampled],
    )
    add(
        Variable(variable_name("weight", used), "Analysis weight: cell frame cases / files counted", "number"),
        [weights.get(s.id, nan) for s in sampled],
    )

    row_of = {pk: i for i, (pk, _, _) in enumerate(examinations)}
    answers: dict[str, dict[int, str]] = defaultdict(dict)
    for exam_id, code, value in (
        Answer.objects.filter(examination__in=counted_examinations(inspection))
        .values_list("examination_id", "question__code", "value")
        .iterator(5000)
    ):
        answers[code][row_of[exam_id]] = value
    rows = len(examinations)
    questions = (
        Question.objects.filter(question_set=inspection.question_set)
        .order_by("section__order", "order")
        .prefetch_related("options")
    )
    for question in questions:
        given = answers.get(question.code, {})
        if question.answer_type == Question.Type.CHOICE:
            options = list(question.options.all())
            code_of = {o.code: i for i, o in enumerate(options, start=1)}
            add(
                Variable(
                    variable_name(question.code, used),
                    question.text,
                    "choice",
                    {i: o.label for i, o in enumerate(options, start=1)},
                    question.code,
                ),
                [code_of.get(given.get(i, ""), nan) for i in range(rows)],
            )
        elif question.answer_type == Question.Type.MULTI:
            for option in question.options.all():
                column = [
                    (1 if option.code in given[i].split("|") else 0) if given.get(i) else nan for i in range(rows)
                ]
                add(
                    Variable(
                        variable_name(f"{question.code}_{option.code}", used),
                        f"{question.text} {option.label}",
                        "chosen",
                        {0: "Not chosen", 1: "Chosen"},
                        question.code,
                        option.code,
                        option.label,
                    ),
                    column,
                )
        elif question.answer_type == Question.Type.NUMBER:
            add(
                Variable(variable_name(question.code, used), question.text, "number", question=question.code),
                [_number(given.get(i, "")) for i in range(rows)],
            )
        else:
            add(
                Variable(variable_name(question.code, used), question.text, "string", question=question.code),
                [given.get(i, "") for i in range(rows)],
            )
    frame = pd.DataFrame({v.name: columns[v.name] for v in variables})
    for v in variables:
        if v.kind in ("choice", "chosen", "number"):
            frame[v.name] = pd.to_numeric(frame[v.name]).astype("float64")
        else:
            frame[v.name] = frame[v.name].astype(object)
    return AnalysisData(frame, variables)


def _number(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return math.nan


def _via_file(suffix: str, write, out: BinaryIO) -> None:
    # pyreadstat writes to a path: write to a private temporary file, then copy it out.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"analysis{suffix}"
        write(str(path))
        out.write(path.read_bytes())


def write_dta(data: AnalysisData, out: BinaryIO) -> None:
    import pyreadstat

    frame = data.frame.copy()
    for v in data.variables:
        if v.kind == "string":
            frame[v.name] = frame[v.name].map(lambda s: s[:STATA_STRING])
    _via_file(
        ".dta",
        lambda path: pyreadstat.write_dta(
            frame,
            path,
            column_labels=[v.stata_label for v in data.variables],
            variable_value_labels=data.value_labels,
            version=15,
        ),
        out,
    )


def write_sav(data: AnalysisData, out: BinaryIO) -> None:
    import pyreadstat

    _via_file(
        ".sav",
        lambda path: pyreadstat.write_sav(
            data.frame, path, column_labels=data.column_labels, variable_value_labels=data.value_labels
        ),
        out,
    )


def write_codebook(data: AnalysisData, out: BinaryIO) -> None:
    text = io.StringIO()
    writer = safe_csv_writer(text, lineterminator="\n")
    writer.writerow(CODEBOOK_COLUMNS)
    writer.writerows(data.codebook_rows())
    out.write(text.getvalue().encode("utf-8"))


WRITERS = {"dta": write_dta, "sav": write_sav, "cbk": write_codebook}
