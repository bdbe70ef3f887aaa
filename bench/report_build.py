"""Benchmark: build the full report (every question, every breakdown, the default headline
tables) for 350, 3,500 and 35,000 generated examined files.

    .venv/bin/python bench/report_build.py [--sizes 350,3500,35000] [--formats xlsx,pdf,csv] [--keep]

Runs against a throwaway SQLite database under /tmp unless DATABASE_URL is set; then it
uses that database — give it one of its own, e.g. postgres://…/casefiles_bench — and
leaves the generated inspections there (named bench-report-N) for the next run to reuse.

Files are generated in bulk (bulk_create, no answer history): the stalking question set,
the plan's mix of strata per Area, answers to every question that applies, mostly
meeting the standard. Each build runs `manage.py build_report` in a child process and the
figures are from its start to the file written: wall-clock time, CPU seconds of it and its
children, and the peak resident memory of the largest of them (getrusage, so WeasyPrint's
C libraries count too). build_report renders a PDF's parts in two warm child processes
(REPORTS_PDF_PROCESSES); the Celery task makes the same parts tasks of their own instead,
spread over the workers, which this does not measure. Print the load average beside the
figures: on a shared machine the CPU seconds are the steadier measure.
"""

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The plan's 25 files an Area: (category, outcome, court, files).
STRATA = [
    ("stalking", "charged", "magistrates", 8),
    ("stalking", "charged", "crown", 6),
    ("harassment", "charged", "magistrates", 3),
    ("harassment", "charged", "crown", 2),
    ("breach_of_order", "charged", "magistrates", 2),
    ("breach_of_order", "charged", "crown", 1),
    ("stalking", "nfa", "", 3),
]
PATTERN = [s for s in STRATA for _ in range(s[3])]


def setup_django(scratch: str) -> str:
    os.environ.setdefault("VAR_DIR", scratch)
    os.environ.setdefault("CELERY_QUEUE", "reports-bench")
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspection.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return os.environ["DATABASE_URL"]


def answer_value(question, case_file, rng: random.Random) -> tuple[str, str]:
    codes = [o.code for o in question.options.all()]
    if question.answer_type == "choice":
        real = [c for c in codes if c != "na"] or codes
        value = rng.choices(real, [max(1, 6 - 2 * i) for i in range(len(real))])[0] if rng.random() > 0.05 else "na"
    elif question.answer_type == "multi":
        value = "|".join(c for c in codes if rng.random() < 0.4) or codes[0]
    elif question.answer_type == "number":
        value = str(rng.randint(1, 60))
    elif question.answer_type == "date":
        value = "2025-03-01"
    else:
        value = "Recorded from the file (bench)."
    comment = "The review did not address the pattern of behaviour." if rng.random() < 0.1 else ""
    return value, comment


def analyze() -> None:
    """Fresh planner statistics, as autovacuum would have them for tables that grew over
    weeks: without them PostgreSQL plans the report's joins for a one-row table."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def generate(size: int, seed: int = 2026) -> tuple[str, int]:
    """The inspection bench-report-SIZE with SIZE submitted primary examinations; reused if present."""
    from django.contrib.auth.models import User
    from django.db import transaction

    from casefiles.models import Answer, Area, CaseFile, Examination, Inspection
    from questionset.rules import question_applies
    from questionset.services import DEFAULT_QUESTION_SET, question_set_load_file
    from sampling.plan import DEFAULT_PLAN, load_plan_file

    slug = f"bench-report-{size}"
    existing = Inspection.objects.filter(slug=slug).first()
    if existing and Examination.objects.filter(case_file__inspection=existing).count() == size:
        return slug, Answer.objects.filter(examination__case_file__inspection=existing).count()
    if existing:
        existing.delete()
    rng = random.Random(seed)
    question_set = question_set_load_file(path=DEFAULT_QUESTION_SET)
    questions = list(question_set.questions.order_by("order").prefetch_related("options"))
    inspectors = [User.objects.get_or_create(username=f"bench-inspector{i}")[0] for i in range(1, 5)]
    areas = list(Area.objects.order_by("name"))
    answers = 0
    with transaction.atomic():
        inspection = Inspection.objects.create(
            slug=slug, name=f"Benchmark, {size:,} files", question_set=question_set,
            plan=load_plan_file(DEFAULT_PLAN).as_data(),
        )  # fmt: skip
        for start in range(0, size, 1000):
            batch = []
            for i in range(start, min(size, start + 1000)):
                category, outcome, court, _ = PATTERN[i % 25]
                batch.append(
                    CaseFile(
                        inspection=inspection, urn=f"B{i:07d}", area=areas[(i // 25) % len(areas)],
                        attributes={
                            "category": category, "outcome": outcome, "court": court,
                            "domestic_abuse": "yes" if rng.random() < 0.6 else "no",
                            "vrr": "yes" if outcome == "nfa" and rng.random() < 0.3 else "no",
                        },
                        stratum=f"{category}_{court or outcome}", assigned_to=inspectors[i % 4],
                    )
                )  # fmt: skip
            files = CaseFile.objects.bulk_create(batch)
            exams = Examination.objects.bulk_create(
                Examination(
                    case_file=f, examiner=f.assigned_to, question_set=question_set, status=Examination.Status.SUBMITTED
                )
                for f in files
            )
            rows = []
            for case_file, exam in zip(files, exams, strict=True):
                effective: dict[str, str] = {}
                for question in questions:
                    if not question_applies(question.applies_when, case_file.attributes, effective):
                        continue
                    value, comment = answer_value(question, case_file, rng)
                    effective[question.code] = value
                    rows.append(
                        Answer(
                            examination=exam, question=question, value=value, comment=comment,
                            updated_by=case_file.assigned_to, version=1,
                        )
                    )  # fmt: skip
            Answer.objects.bulk_create(rows, batch_size=5000)
            answers += len(rows)
    return slug, answers


def build(slug: str, format: str, out_dir: Path) -> tuple[float, float, float, int]:
    """(wall seconds, CPU seconds, peak resident MB, bytes) of `manage.py build_report` in a child
    process. CPU seconds are the child's and its own children's (the section renderers): on a
    shared machine they say more than the wall clock."""
    out = out_dir / f"{slug}.{format}"
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "manage.py", "build_report", "--inspection", slug, "-o", str(out)],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build_report failed for {slug} {format}: {child.stderr.read().decode()[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    # ru_maxrss (KB on Linux) is the largest single process among the child and its waited-for children.
    return seconds, cpu, usage.ru_maxrss / 1024, out.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="350,3500,35000")
    parser.add_argument("--formats", default="xlsx,pdf")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (database and reports)")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="report-bench-")
    database = setup_django(scratch)
    out_dir = Path(scratch) / "out"
    out_dir.mkdir()
    print(f"database: {database.split('@')[-1]}   reports written to {out_dir}   load {os.getloadavg()}")
    columns = ["files", "answers", "generate s", "format", "build s", "CPU s", "peak MB", "size KB"]
    widths = [7, 10, 10, 6, 8, 7, 8, 8]
    print(" ".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True)))
    try:
        for size in [int(s) for s in args.sizes.split(",")]:
            started = time.perf_counter()
            slug, answers = generate(size)
            analyze()
            generated = time.perf_counter() - started
            for format in args.formats.split(","):
                seconds, cpu, peak, size_bytes = build(slug, format, out_dir)
                row = f"{size:>7,} {answers:>10,} {generated:>10.1f} {format:>6} {seconds:>8.1f} {cpu:>7.1f} "
                print(row + f"{peak:>8.0f} {size_bytes / 1024:>8,.0f}   load {os.getloadavg()[0]:.1f}", flush=True)
        own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"(the generating process itself peaked at {own_peak:.0f} MB)")
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
