"""Fuzzing every importer with Hypothesis: frames (CSV and XLSX), question-set YAML, the
autosave POST and the report parameters. For each input: no exception but the importer's
own refusal (no server error), a bounded time per input (Hypothesis' deadline), a bounded
message, and nothing partly stored (a refusal leaves every table as it was).

Two budgets keep the run short: FUZZ_EXAMPLES inputs (default 1,000) for each importer's
parsing and validation, where every input is tried; FUZZ_STORED_EXAMPLES (default 150) for
the same importers end to end through the database and HTTP, where "nothing partly stored"
is checked. The whole module is marked `fuzz`; `bin/test` runs it with the defaults.
"""

import io
import os

import pytest
import yaml
from django.http import QueryDict
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from casefiles.models import Answer, AnswerChange
from casefiles.services import question_set_upload
from questionset.loader import QuestionSetInvalid, parse_question_set
from questionset.models import QuestionSet
from reports.forms import ReportRequestForm
from reports.models import ReportJob
from reports.services import report_job_request
from sampling.demo import columns_of
from sampling.frame import FrameInvalid, parse_frame
from sampling.models import Frame, FrameCase
from sampling.plan import DEFAULT_PLAN, load_plan_file
from sampling.services import SamplingError, frame_import

COLUMNS = columns_of(load_plan_file(DEFAULT_PLAN))  # the shipped plan's frame columns
PLAN_ATTRIBUTES = load_plan_file(DEFAULT_PLAN).attributes

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1000"))
STORED_EXAMPLES = int(os.environ.get("FUZZ_STORED_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=3000,  # ms per input: a hang or an explosion fails
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,  # the same inputs every run: a failure is reproducible
    database=None,
)
FUZZ_STORED = settings(FUZZ, max_examples=STORED_EXAMPLES)
AREAS = {"wessex": 1, "london north": 2}


def _parse_frame_checked(filename: str, content: bytes) -> None:
    try:
        parse_frame(filename, content, AREAS, PLAN_ATTRIBUTES)
    except FrameInvalid as refused:
        assert len(str(refused)) < MESSAGE_MAX
MESSAGE_MAX = 25_000

# Cells: mostly plausible values (so some rows pass and reach the database), some hostile.
HOSTILE = ["", "=1+1", "\x00", "\u202e", "\u200b", "\r\n", "9" * 5000, "²", "1e30", "../../etc", "'", '"', ",", ";"]
CELL = st.one_of(
    st.sampled_from(
        ["Wessex", "CPS London North", "stalking", "harassment", "charged", "nfa", "crown", "magistrates"]
        + ["yes", "no", "2025-02-14", "2025-13-45", "controlling_coercive", "breach_of_order"]
        + HOSTILE
    ),
    st.text(max_size=30),
)
ROW = st.fixed_dictionaries(dict.fromkeys(COLUMNS, CELL), optional={})
URN = st.one_of(st.from_regex(r"\A[0-9]{2}[A-Z]{2}[0-9]{4}\Z"), st.text(max_size=45))


def _rows(draw_rows: list[dict], urns: list[str]) -> list[dict]:
    return [{**row, "urn": urn} for row, urn in zip(draw_rows, urns, strict=False)]


def _csv(rows: list[dict], header: list[str]) -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(c, "") for c in header])
    return buffer.getvalue().encode("utf-8", "surrogatepass")


HEADERS = st.one_of(st.just(list(COLUMNS)), st.permutations(list(COLUMNS)), st.lists(st.sampled_from([*COLUMNS, "x"])))


def _import_checked(inspection, filename: str, content: bytes) -> None:
    frames, cases = Frame.objects.count(), FrameCase.objects.count()
    try:
        frame = frame_import(inspection=inspection, filename=filename, content=content)
    except FrameInvalid as refused:
        assert len(str(refused)) < MESSAGE_MAX
        assert (Frame.objects.count(), FrameCase.objects.count()) == (frames, cases)
    except SamplingError:
        assert (Frame.objects.count(), FrameCase.objects.count()) == (frames, cases)
    else:
        assert FrameCase.objects.filter(frame=frame).count() == frame.row_count


def _csv_or_bad_bytes(rows: list[dict], urns: list[str], header: list[str]) -> bytes:
    try:
        return _csv(_rows(rows, urns), header)
    except UnicodeEncodeError:
        return b"\xff\xfe bad bytes"


CSV_INPUT = {"rows": st.lists(ROW, max_size=6), "urns": st.lists(URN, min_size=6, max_size=6), "header": HEADERS}


@FUZZ
@given(**CSV_INPUT)
def test_fuzz_frame_csv_parsing(rows, urns, header):
    _parse_frame_checked("frame.csv", _csv_or_bad_bytes(rows, urns, header))


@FUZZ_STORED
@given(**CSV_INPUT)
def test_fuzz_frame_csv_import_stores_all_or_nothing(inspection, rows, urns, header):
    _import_checked(inspection, "frame.csv", _csv_or_bad_bytes(rows, urns, header))


@FUZZ
@given(content=st.binary(max_size=300))
def test_fuzz_frame_raw_bytes(content):
    _parse_frame_checked("frame.csv", content)
    _parse_frame_checked("frame.xlsx", content)


XLSX_CELL = st.one_of(CELL, st.integers(), st.floats(allow_nan=True), st.booleans(), st.none(), st.dates())


@FUZZ
@given(
    rows=st.lists(st.lists(XLSX_CELL, max_size=9), max_size=5),
    header=HEADERS,
    gap=st.sampled_from([0, 0, 3, 300]),
    far=st.sampled_from([None, None, "XFD1048576", "Z9", "AAA2"]),
)
def test_fuzz_frame_xlsx(rows, header, gap, far):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for index, row in enumerate(rows, start=2 + gap):
        for column, value in enumerate(row, start=1):
            try:
                sheet.cell(index, column, value)
            except Exception:  # openpyxl refuses some control characters itself: a file nobody can make
                sheet.cell(index, column, "x")
    if far:
        sheet[far] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    _parse_frame_checked("frame.xlsx", buffer.getvalue())


# Question-set YAML: structured documents close to a real set, and raw text with YAML's
# awkward parts (anchors, aliases, tags, deep brackets).
SCALAR = st.one_of(st.text(max_size=20), st.integers(), st.booleans(), st.none(), st.sampled_from(HOSTILE))
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
QUESTION = st.fixed_dictionaries(
    {"code": st.one_of(st.from_regex(r"\A[A-Z]{2}[0-9]\Z"), SCALAR), "text": SCALAR},
    optional={
        "type": st.sampled_from(["choice", "multi", "number", "date", "text", "other", ""]),
        "options": VALUE,
        "scale": SCALAR,
        "applies_when": VALUE,
        "required": SCALAR,
        "comment_required_for": VALUE,
    },
)
DOCUMENT = st.fixed_dictionaries(
    {
        "code": st.one_of(st.just("fuzz"), SCALAR),
        "title": SCALAR,
        "version": SCALAR,
        "sections": st.lists(
            st.fixed_dictionaries({"code": SCALAR, "title": SCALAR, "questions": st.lists(QUESTION, max_size=4)}),
            max_size=3,
        ),
    },
    optional={"scales": VALUE, "criteria": VALUE, "extra": VALUE},
)
YAML_PIECES = st.sampled_from(
    ["&a ", "*a", "[", "]", "{", "}", ": ", "- ", "\n", "  ", "!!python/object:os.system ", "<<: *a", "? ", "|", ">"]
    + ["&b [*a,*a,*a,*a]", "code: x", "\t", "%YAML 1.1\n", "---\n", "...\n", "'", '"', "#"]
)


def _parse_checked(text: str) -> None:
    try:
        parse_question_set(text)
    except QuestionSetInvalid as refused:
        assert len(str(refused)) < MESSAGE_MAX


def _dump(document: dict) -> str:
    try:
        return yaml.safe_dump(document, allow_unicode=True)
    except yaml.YAMLError:
        return "code: ["


@FUZZ
@given(document=DOCUMENT)
def test_fuzz_question_set_parsing(document):
    _parse_checked(_dump(document))


@FUZZ_STORED
@given(document=DOCUMENT)
def test_fuzz_question_set_upload_stores_all_or_nothing(inspection, lead, document):
    text = _dump(document)
    before = QuestionSet.objects.count()
    try:
        question_set_upload(inspection=inspection, text=text, filename="fuzz.yaml", user=lead)
    except QuestionSetInvalid as refused:
        assert len(str(refused)) < MESSAGE_MAX
        assert QuestionSet.objects.count() == before


@FUZZ
@given(pieces=st.lists(st.one_of(YAML_PIECES, st.text(max_size=10)), max_size=60), depth=st.integers(0, 3000))
def test_fuzz_question_set_raw_text(pieces, depth):
    _parse_checked("".join(pieces))
    _parse_checked("[" * depth + "".join(pieces))


# Autosave: whatever is posted, the answer is 200, 400 or 409, and a refusal stores nothing.
PLAUSIBLE = ["0", "1", "-1", "fully_meets", "na", "following", "3", "2026-02-30"]
FIELD = st.one_of(st.sampled_from(HOSTILE + PLAUSIBLE), st.text(max_size=40))


AUTOSAVE_INPUT = {
    "code": st.sampled_from(["LD1", "VW2", "VW3", "LD2"]),
    "value": st.lists(FIELD, max_size=3),
    "comment": st.one_of(st.none(), FIELD),
    "version": st.one_of(st.none(), FIELD, st.integers(-10, 2**70).map(str)),
}


def _autosave_data(code: str, value: list, comment, version) -> dict:
    data: dict = {f"q-{code}": value}
    if comment is not None:
        data[f"c-{code}"] = comment
    if version is not None:
        data[f"v-{code}"] = version
    return data


@FUZZ
@given(**AUTOSAVE_INPUT)
def test_fuzz_autosave_parsing(case_file, code, value, comment, version):
    from casefiles.examining import parse_posted
    from questionset.models import Question

    question = Question.objects.prefetch_related("options").get(
        question_set=case_file.inspection.question_set, code=code
    )
    post = QueryDict(mutable=True)
    for key, item in _autosave_data(code, value, comment, version).items():
        post.setlist(key, item if isinstance(item, list) else [item])
    for posted in parse_posted([question], post):
        assert isinstance(posted.expected_version, int) and 0 <= posted.expected_version < 2**63
        assert posted.error or ("\x00" not in posted.value + posted.comment and len(posted.value) < 100_000)


@FUZZ_STORED
@given(**AUTOSAVE_INPUT)
def test_fuzz_autosave_post(client, inspector, case_file, code, value, comment, version):
    if "_auth_user_id" not in client.session:
        client.force_login(inspector)
    data = _autosave_data(code, value, comment, version)
    stored = list(Answer.objects.values_list("question__code", "value", "comment", "version"))
    changes = AnswerChange.objects.count()
    url = reverse("casefiles:autosave", args=[case_file.inspection.slug, case_file.urn, code])
    response = client.post(url, data)
    assert response.status_code in (200, 400, 409), (data, response.status_code)
    if response.status_code != 200:
        assert list(Answer.objects.values_list("question__code", "value", "comment", "version")) == stored
        assert AnswerChange.objects.count() == changes


# Report parameters: the form refuses or the job is queued with normalised parameters.
@FUZZ
@given(
    format=st.one_of(st.sampled_from(["pdf", "xlsx", "csv", "dta", ""]), st.text(max_size=5)),
    sections=st.lists(st.one_of(st.sampled_from(["LD", "VW", "XX"]), st.text(max_size=5)), max_size=3),
    questions=FIELD,
    breakdowns=st.lists(st.one_of(st.sampled_from(["area", "court", "outcome"]), st.text(max_size=5)), max_size=3),
    headlines=FIELD,
    rows=FIELD,
    columns=FIELD,
)
def test_fuzz_report_parameters(inspection, writer, format, sections, questions, breakdowns, headlines, rows, columns):
    data = {
        "format": format,
        "sections": sections,
        "questions": questions,
        "breakdowns": breakdowns,
        "headlines": headlines,
        "headline_rows": rows,
        "headline_columns": columns,
    }
    post = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            post.setlist(key, value)
        else:
            post[key] = value
    before = ReportJob.objects.count()
    form = ReportRequestForm(post, inspection=inspection)
    if form.is_valid():
        job = report_job_request(
            inspection=inspection, user=writer, format=form.cleaned_data["format"], parameters=form.parameters
        )
        assert job.format == form.cleaned_data["format"]
    else:
        assert ReportJob.objects.count() == before
