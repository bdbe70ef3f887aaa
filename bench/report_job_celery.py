"""Benchmark: a full PDF report job through Celery, as a writer's request runs it — a real
worker (concurrency 2) on the configured broker, the PDF's parts as tasks of their own.

    DATABASE_URL=postgres://…/casefiles_bench CELERY_BROKER_URL=redis://127.0.0.1:6379/N \\
        .venv/bin/python bench/report_job_celery.py [--files 350] [--runs 2]

Uses the inspection bench-report-FILES that bench/report_build.py generated in that database
(run it first with the same DATABASE_URL). Times each job from report_job_request to done, with
the worker's CPU (its pool children and their renderer processes) and each process's peak
memory. Without CELERY_BROKER_URL the broker is the filesystem one, which polls its queue once
a second, so each part waits up to a second to be picked up.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def process_tree(pid: int) -> list[int]:
    found, waiting = [], [pid]
    while waiting:
        current = waiting.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        waiting.extend(int(child) for child in children)
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User and system time of these processes and of their children they waited for."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15])
    return total / os.sysconf("SC_CLK_TCK")


def peak_mb(pids: list[int]) -> list[int]:
    peaks = []
    for pid in pids:
        try:
            lines = Path(f"/proc/{pid}/status").read_text().splitlines()
        except OSError:
            continue
        peaks += [int(line.split()[1]) // 1024 for line in lines if line.startswith("VmHWM")]
    return peaks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=350)
    parser.add_argument("--runs", type=int, default=2)
    options = parser.parse_args()
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="report-job-bench-"))
    os.environ.setdefault("CELERY_QUEUE", f"report-job-bench-{os.getpid()}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspection.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection

    from casefiles.models import Inspection
    from reports.models import ReportJob
    from reports.parameters import full_report_parameters, normalise_parameters
    from reports.services import report_job_request

    log_path = Path(os.environ["VAR_DIR"]) / "worker.log"
    with open(log_path, "w") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "inspection", "worker", "--loglevel", "INFO", "--concurrency", "2",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        while "ready." not in log_path.read_text():
            time.sleep(0.2)
        inspection = Inspection.objects.get(slug=f"bench-report-{options.files}")
        user, _ = User.objects.get_or_create(username="bench-writer")
        parameters = normalise_parameters(inspection, full_report_parameters(inspection))
        broker = os.environ.get("CELERY_BROKER_URL", "").split(":")[0] or "filesystem"
        print(f"{options.files:,} files, broker {broker}, database {connection.vendor}")
        for run in range(options.runs):
            before = cpu_seconds(process_tree(worker.pid))
            load = os.getloadavg()[0]
            started = time.perf_counter()
            job = report_job_request(inspection=inspection, user=user, format="pdf", parameters=parameters)
            while not ReportJob.objects.get(pk=job.pk).is_finished:
                time.sleep(0.1)
            wall = time.perf_counter() - started
            pids = process_tree(worker.pid)
            job = ReportJob.objects.get(pk=job.pk)
            print(
                f"run {run + 1}: {job.status}, wall {wall:.1f} s, worker CPU {cpu_seconds(pids) - before:.1f} s, "
                f"peak MB a process {max(peak_mb(pids))}, {job.parts.count()} parts, load {load:.1f}",
                flush=True,
            )
    finally:
        worker.terminate()
        worker.wait(30)


if __name__ == "__main__":
    main()
