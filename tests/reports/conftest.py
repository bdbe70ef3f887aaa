"""Report fixtures: examinations recorded directly (the tables do not care how answers were
entered), a hand-counted set of files, and Celery worker processes the tests may kill."""

import contextlib
import csv
import io
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from accounts.roles import INSPECTOR, QA_LEAD
from casefiles.models import Area, CaseFile, Examination, Inspection
from casefiles.services import answers_record_new
from questionset.models import Question
from sampling.plan import DEFAULT_PLAN, load_plan_file, parse_plan
from sampling.services import frame_import, sample_draw
from tests.conftest import _worker_database_url, make_case_file, make_user


def record_examination(case_file, examiner, answers: dict[str, str | tuple[str, str]], **options) -> Examination:
    """An examination with these answers (code → value, or (value, comment)), submitted unless told otherwise."""
    kind = options.get("kind", Examination.Kind.PRIMARY)
    status = options.get("status", Examination.Status.SUBMITTED)
    question_set = case_file.inspection.question_set
    examination = Examination.objects.create(
        case_file=case_file, kind=kind, examiner=examiner, question_set=question_set, status=status
    )
    questions = {q.code: q for q in Question.objects.filter(question_set=question_set)}
    values = {questions[code]: (value if isinstance(value, tuple) else (value, "")) for code, value in answers.items()}
    answers_record_new(examination=examination, values=values, user=examiner, source="test")
    return examination


# The hand-counted fixture: six counted files, and four examinations that must not count.
# Expected tables are worked out by hand in test_tables.py from this list.
HAND_FILES = [
    # urn, area, category, outcome, court, DA, answers
    ("F1", "Wessex", "stalking", "charged", "crown", True,
     {"LD1": "fully_meets", "VW1": "yes", "VW3": "following|contacting"}),
    ("F2", "Wessex", "stalking", "charged", "magistrates", False, {"LD1": "partially_meets", "LD2": "yes"}),
    ("F3", "Wessex", "harassment", "charged", "crown", True, {"LD1": "fully_meets", "VW1": "na"}),
    ("F4", "London North", "stalking", "nfa", "", False,
     {"LD3": ("not_meets", "No enquiries were made of the victim's employer."), "VW3": "cyber"}),
    ("F5", "London North", "stalking", "charged", "crown", True, {"LD1": "na", "VW1": "no"}),
    ("F6", "London North", "breach_of_order", "charged", "magistrates", True,
     {"LD1": ("not_meets", "Breach charged as a single incident."), "LD2": "no"}),
]  # fmt: skip


@pytest.fixture
def hand_counted(inspection, inspector, colleague, db):
    """Six counted files; plus an unsubmitted, a returned and a dip examination, none of which count."""
    qa = make_user("qa-checker", QA_LEAD, INSPECTOR)
    files = {}
    for urn, area, category, outcome, court, da, answers in HAND_FILES:
        case_file = make_case_file(
            inspection,
            urn,
            assigned_to=inspector,
            area=Area.objects.get(name=area),
            category=category,
            outcome=outcome,
            court=court,
            domestic_abuse=da,
        )
        files[urn] = case_file
        record_examination(case_file, inspector, answers)
    in_progress = make_case_file(inspection, "F7", assigned_to=colleague)
    record_examination(in_progress, colleague, {"LD1": "not_meets"}, status=Examination.Status.IN_PROGRESS)
    returned = make_case_file(inspection, "F8", assigned_to=colleague)
    record_examination(returned, colleague, {"LD1": "not_meets"}, status=Examination.Status.RETURNED)
    record_examination(files["F1"], qa, {"LD1": "not_meets", "VW1": "no"}, kind=Examination.Kind.DIP)
    return files


# An inspection with a two-stratum plan over two Areas, whose frame shares and quotas differ a lot.
SHIPPED_PLAN = load_plan_file(DEFAULT_PLAN).as_data()
SMALL_PLAN = {
    "code": "weights-test",
    "name": "Weights test",
    "attributes": SHIPPED_PLAN["attributes"],
    "breakdowns": SHIPPED_PLAN["breakdowns"],
    "exclude": {"category": ["controlling_coercive"]},
    "strata": [
        {"code": "big", "label": "Stalking, magistrates'", "where": {"category": "stalking", "court": "magistrates"},
         "per_area": 4},
        {"code": "small", "label": "Harassment, Crown Court", "where": {"category": "harassment", "court": "crown"},
         "per_area": 3},
    ],
    "reserves_per_stratum": 1,
    "mix": {"attribute": "domestic_abuse", "rule": "none"},
}  # fmt: skip
FRAME_CELLS = {
    ("Wessex", "big"): 120,
    ("Wessex", "small"): 4,
    ("London North", "big"): 6,
    ("London North", "small"): 30,
}
CELL_ATTRIBUTES = {"big": ("stalking", "magistrates"), "small": ("harassment", "crown")}


def frame_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["urn", "area", "category", "outcome", "court", "domestic_abuse", "vrr", "decision_date"])
    n = 0
    for (area, stratum), count in FRAME_CELLS.items():
        category, court = CELL_ATTRIBUTES[stratum]
        for _ in range(count):
            n += 1
            writer.writerow(
                [f"U{n:05d}", area, category, "charged", court, "yes" if n % 3 else "no", "no", "2025-01-02"]
            )
        # Excluded cases never count in a cell's frame count.
        n += 1
        writer.writerow([f"U{n:05d}", area, "controlling_coercive", "charged", court, "yes", "no", "2025-01-02"])
    return out.getvalue().encode()


@pytest.fixture
def weighted_inspection(mini_question_set, lead, inspector) -> Inspection:
    parse_plan(SMALL_PLAN)
    inspection = Inspection.objects.create(
        slug="weights", name="Weights", question_set=mini_question_set, plan=SMALL_PLAN
    )
    frame_import(inspection=inspection, filename="frame.csv", content=frame_csv(), user=lead)
    sample_draw(inspection=inspection, seed=5, user=lead, take_what_there_is=True)  # the other 12 Areas are empty
    return inspection


def examine_every_file(inspection, inspector) -> None:
    rng = random.Random(11)
    for case_file in CaseFile.objects.filter(inspection=inspection).in_sample().order_by("urn"):
        # Big-stratum files mostly fully meet the standard, small-stratum ones mostly do not.
        good = 0.8 if case_file.stratum == "big" else 0.2
        ld1 = "fully_meets" if rng.random() < good else rng.choice(["not_meets", "partially_meets", "na"])
        record_examination(case_file, inspector, {"LD1": ld1, "VW3": rng.choice(["following", "cyber|contacting"])})


class WorkerProcess:
    """A `celery worker` (prefork, one child) that a test may kill, whole or its child only."""

    def __init__(self, log: Path, extra_env: dict[str, str]):
        self.log = log
        env = {**os.environ, "DATABASE_URL": _worker_database_url(), "PYTHONUNBUFFERED": "1", **extra_env}
        with open(log, "a") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "inspection",
                    "worker",
                    "--loglevel",
                    "INFO",
                    "--concurrency",
                    "1",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.pid = self.process.pid
        self.wait_ready()

    def text(self) -> str:
        return self.log.read_text()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 90
        while "ready." not in self.text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"the Celery worker did not start:\n{self.text()[-3000:]}")
            time.sleep(0.2)

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []

    def kill_child(self) -> int:
        """SIGKILL the pool process running the task, as the OOM killer would."""
        child = self.children()[0]
        os.kill(child, signal.SIGKILL)
        return child

    def kill_all(self) -> None:
        """SIGKILL the worker and its children at once: a machine or container dying."""
        children = self.children()
        os.kill(self.pid, signal.SIGKILL)
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill_all()


@pytest.fixture
def start_worker(tmp_path):
    """Start killable workers: start_worker(ENV=value, …). All are stopped at the end."""
    started: list[WorkerProcess] = []

    def _start(**extra_env: str) -> WorkerProcess:
        worker = WorkerProcess(tmp_path / f"worker-{len(started) + 1}.log", extra_env)
        started.append(worker)
        return worker

    yield _start
    for worker in started:
        worker.stop()


@pytest.fixture(autouse=True)
def pdf_parts_in_process(settings):
    """Render the PDF's parts in the test process: a pool's start-up would dominate these small
    reports. test_pdf_tagged renders through the pool."""
    settings.REPORTS_PDF_PROCESSES = 1
