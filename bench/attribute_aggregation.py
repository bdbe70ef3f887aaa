"""Benchmark: report aggregation by case attribute at 35,000 examined files.

    .venv/bin/python bench/attribute_aggregation.py [--files 35000] [--answers 8] [--runs 3]

Generates FILES submitted primary examinations (each answering the first ANSWERS choice
questions of the shipped question set) in a throwaway database — SQLite under /tmp, or
DATABASE_URL (give it a database of its own) — then times `reports.tables.question_tables`
with every breakdown: the GROUP BY queries of the report's tables and its XLSX data sheet.
It runs against either schema: typed case-attribute columns (before case attributes became
data) or CaseFile.attributes (JSON), so the same script measures both (check out the older
commit to measure the typed columns). Prints the median of RUNS timings.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=35_000)
    parser.add_argument("--answers", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="attribute-bench-")
    os.environ.setdefault("VAR_DIR", scratch)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspection.settings")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import User
    from django.db import connection, transaction

    from casefiles.models import Answer, Area, CaseFile, Examination, Inspection
    from questionset import services as qs
    from reports.tables import question_tables
    from sampling import plan as plans

    plan_path = getattr(plans, "DEFAULT_PLAN", None) or plans.STALKING_PLAN  # noqa: B009 - either commit
    set_path = getattr(qs, "DEFAULT_QUESTION_SET", None) or qs.STALKING_QUESTION_SET
    typed = any(f.name == "outcome" for f in CaseFile._meta.get_fields())
    rng = random.Random(1)
    question_set = qs.question_set_load_file(path=set_path)
    questions = list(question_set.questions.filter(answer_type="choice").order_by("order").prefetch_related("options"))
    questions = questions[: args.answers]
    inspector = User.objects.get_or_create(username="bench-inspector")[0]
    areas = list(Area.objects.order_by("name"))
    started = time.perf_counter()
    with transaction.atomic():
        inspection = Inspection.objects.create(
            slug="bench-attributes", name="Bench", question_set=question_set,
            plan=plans.load_plan_file(plan_path).as_data(),
        )  # fmt: skip
        for start in range(0, args.files, 2000):
            batch = []
            for i in range(start, min(args.files, start + 2000)):
                outcome = rng.choice(["charged", "charged", "charged", "nfa"])
                values = {
                    "category": rng.choice(["stalking", "stalking", "harassment", "breach_of_order"]),
                    "outcome": outcome,
                    "court": "" if outcome == "nfa" else rng.choice(["magistrates", "crown"]),
                    "domestic_abuse": rng.random() < 0.6,
                    "vrr": False,
                }
                if not typed:
                    values = {"attributes": {k: ("yes" if v else "no") if isinstance(v, bool) else v
                                             for k, v in values.items()}}  # fmt: skip
                batch.append(CaseFile(inspection=inspection, urn=f"B{i:07d}", area=areas[i % len(areas)],
                                      stratum="s", assigned_to=inspector, **values))  # fmt: skip
            files = CaseFile.objects.bulk_create(batch)
            exams = Examination.objects.bulk_create(
                Examination(case_file=f, examiner=inspector, question_set=question_set, status="submitted")
                for f in files
            )
            Answer.objects.bulk_create(
                (
                    Answer(
                        examination=e,
                        question=q,
                        value=rng.choice([o.code for o in q.options.all()]),
                        updated_by=inspector,
                    )  # fmt: skip
                    for e in exams
                    for q in questions
                ),
                batch_size=5000,
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    generated = time.perf_counter() - started
    breakdowns = ["area", "court", "category", "outcome", "domestic_abuse"]
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        tables = question_tables(inspection, {}, breakdowns=breakdowns)
        timings.append(time.perf_counter() - started)
    answered = sum(t.answered + t.not_applicable for t in tables)
    print(
        f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]} "
        f"{'typed columns' if typed else 'JSON attributes'}: {args.files:,} files, {answered:,} answers counted; "
        f"generated in {generated:.0f} s; aggregation median {statistics.median(timings):.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in timings)})"
    )


if __name__ == "__main__":
    main()
