"""Benchmark: the SQL of the full report's context (reports.render.pdf_context: question
tables with every breakdown, headline tables, national estimates, weighting notes, files
counted, examples) — every query it makes, which of them read the answers, and their time.

    .venv/bin/python bench/report_sql.py [--files 350] [--runs 3] [--publication] [--log]

Uses DATABASE_URL if set (the inspection bench-report-FILES that bench/report_build.py
generates there is reused, or generated), else a throwaway SQLite database under /tmp.
--draw gives the inspection a draw record for the run (four frame cases a sampled file, in a
transaction rolled back at the end, so the stored inspection is left as it was): without one
there are no weights and the weighted estimates are skipped.

Prints the queries of a run, those that read casefiles_answer, the time Django records for
them, and the context's wall-clock time with the charts left out (question_chart is the only
non-counting work in pdf_context; on SQLite rows are fetched after Django's timer stops, so
the wall-clock figure is the fair one there). Medians of RUNS, and the load average, as the
machine may be shared.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=350)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--publication", action="store_true", help="a publication copy (suppression) instead")
    parser.add_argument("--log", action="store_true", help="print every query of the last run with its time")
    parser.add_argument(
        "--draw", action="store_true", help="with a draw record (rolled back after), so weighted estimates are made"
    )
    args = parser.parse_args()
    import report_build

    report_build.setup_django(tempfile.mkdtemp(prefix="report-sql-"))
    from django.db import transaction
    from django.utils.safestring import SafeString

    from casefiles.models import Inspection
    from reports import render
    from reports.parameters import full_report_parameters

    slug, answers = report_build.generate(args.files)
    report_build.analyze()
    inspection = Inspection.objects.get(slug=slug)
    parameters = full_report_parameters(inspection)
    if args.publication:
        parameters.update(variant="publication", marking="OFFICIAL", threshold=5)
    render.question_chart = lambda *a, **k: SafeString("")  # counting only
    with transaction.atomic():
        if args.draw:
            add_draw(inspection)
        measure(inspection, parameters, args, answers)
        transaction.set_rollback(True)


def add_draw(inspection) -> None:
    from django.db.models import Count

    from casefiles.models import CaseFile
    from sampling.models import Draw, Frame

    cells = CaseFile.objects.filter(inspection=inspection).values("area_id", "stratum").annotate(n=Count("id"))
    summary = [{"area_id": c["area_id"], "stratum": c["stratum"], "candidates": 4 * c["n"]} for c in cells]
    frame = Frame.objects.create(inspection=inspection, filename="bench.csv", row_count=sum(4 * c["n"] for c in cells))
    Draw.objects.create(inspection=inspection, frame=frame, seed=1, summary=summary)


def measure(inspection, parameters: dict, args, answers: int) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports import render

    database = settings.DATABASES["default"]["NAME"]
    print(f"database: {database}; draw: {args.draw}; {args.files:,} files, {answers:,} answers; load {os.getloadavg()}")
    walls: list[float] = []
    sqls: list[float] = []
    for _ in range(args.runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            render.pdf_context(inspection, parameters)
            walls.append(time.perf_counter() - started)
        sqls.append(sum(float(q["time"]) for q in captured.captured_queries))
    queries = captured.captured_queries
    reading = [q for q in queries if "casefiles_answer" in q["sql"]]
    print(
        f"{len(queries)} queries, {len(reading)} reading the answers ({sum(float(q['time']) for q in reading):.2f} s "
        f"in the last run); recorded SQL time median {statistics.median(sqls):.2f} s "
        f"({', '.join(f'{s:.2f}' for s in sqls)}); context without charts median {statistics.median(walls):.2f} s "
        f"({', '.join(f'{w:.2f}' for w in walls)}); load {os.getloadavg()}"
    )
    if args.log:
        for q in queries:
            mark = "A" if "casefiles_answer" in q["sql"] else " "
            print(f"{mark} {float(q['time']):7.3f}  {q['sql'][:160]}")


if __name__ == "__main__":
    main()
