"""Benchmark: import a generated 100,000-row sample frame and draw the stalking sample.

    .venv/bin/python bench/sampling_draw.py [--rows N] [--format csv|xlsx] [--seed N]

Runs against a throwaway SQLite database under /tmp unless DATABASE_URL is set (then it
uses that database and deletes what it created). Prints, for the import and for the draw,
the wall-clock time and the peak memory: Python's own allocations (tracemalloc, measured
in a second, traced run because tracing slows the code down) and the process's peak
resident set size (resource.getrusage).
"""

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> str:
    scratch = tempfile.mkdtemp(prefix="sampling-bench-")
    os.environ.setdefault("VAR_DIR", scratch)
    os.environ.setdefault("CELERY_QUEUE", "sampling-bench")
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspection.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return os.environ["DATABASE_URL"]


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(slug: str, content: bytes, filename: str, seed: int, traced: bool) -> dict:
    from casefiles.models import Inspection
    from sampling.plan import DEFAULT_PLAN, load_plan_file
    from sampling.services import frame_import, sample_draw

    inspection = Inspection.objects.create(slug=slug, name=slug, plan=load_plan_file(DEFAULT_PLAN).as_data())
    figures = {}
    try:
        for step, action in (
            ("import", lambda: frame_import(inspection=inspection, filename=filename, content=content)),
            ("draw", lambda: sample_draw(inspection=inspection, seed=seed)),
        ):
            if traced:
                tracemalloc.start()
            started = time.perf_counter()
            result = action()
            seconds = time.perf_counter() - started
            figures[step] = {"seconds": seconds, "rss_mb": peak_rss_mb()}
            if traced:
                figures[step]["python_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
                tracemalloc.stop()
            if step == "import":
                figures["rows"] = result.row_count
        figures["sample"] = inspection.case_files.in_sample().count()
        figures["reserves"] = inspection.case_files.filter(role="reserve").count()
    finally:
        inspection.delete()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    database = setup_django()

    from casefiles.areas import CPS_AREAS
    from sampling.demo import frame_csv, frame_xlsx, generate_frame_rows
    from sampling.plan import DEFAULT_PLAN, load_plan_file

    rows = generate_frame_rows(load_plan_file(DEFAULT_PLAN), list(CPS_AREAS), seed=args.seed, total=args.rows)
    content = frame_csv(rows) if args.format == "csv" else frame_xlsx(rows)
    del rows
    filename = f"bench-frame.{args.format}"
    engine = database.split(":", 1)[0]
    print(f"Frame: {args.rows:,} rows, {args.format.upper()}, {len(content) / 2**20:.1f} MB; database: {engine}")

    timed = run("bench-timed", content, filename, args.seed, traced=False)
    traced = run("bench-traced", content, filename, args.seed, traced=True)
    print(f"Imported {timed['rows']:,} rows; drew {timed['sample']} files and {timed['reserves']} reserves.")
    for step in ("import", "draw"):
        print(
            f"{step:>6}: {timed[step]['seconds']:6.2f} s   "
            f"Python peak {traced[step]['python_peak_mb']:6.1f} MB (tracemalloc)   "
            f"process peak RSS so far {timed[step]['rss_mb']:6.1f} MB"
        )
    total = timed["import"]["seconds"] + timed["draw"]["seconds"]
    print(f" total: {total:6.2f} s; process peak RSS {peak_rss_mb():.1f} MB (includes the generated frame in memory)")


if __name__ == "__main__":
    main()
