"""bin/serve, run twice as a process, keeps an answer made between the two runs."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
pytestmark = pytest.mark.worker  # bin/serve starts a real Celery worker beside the web server


def _ready_venv(tmp_path: Path) -> Path:
    """A virtual environment bin/serve's bootstrap accepts as installed: the test's own Python."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    for name, command in {"python": sys.executable, "celery": f"{sys.executable} -m celery"}.items():
        script = venv / "bin" / name
        script.write_text(f'#!/bin/sh\nexec {command} "$@"\n')
        script.chmod(0o755)
    digest = subprocess.run(["sha256sum", ROOT / "pyproject.toml"], capture_output=True, text=True).stdout[:16]
    (venv / f".installed-{digest}-base").touch()
    return venv


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(env: dict, *args: str) -> str:
    """Run bin/serve until it answers /healthz and its worker is up, then stop it; its output."""
    process = subprocess.Popen(
        [ROOT / "bin" / "serve", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    url = f"http://127.0.0.1:{env['PORT']}/healthz"
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            assert process.poll() is None, "".join(lines)
            try:
                # Stopping a worker still starting up can take minutes: wait for its banner too.
                if urllib.request.urlopen(url, timeout=2).status == 200 and any("[queues]" in x for x in lines):
                    break
            except OSError:
                pass
            time.sleep(1)
        else:
            pytest.fail("bin/serve did not answer in 240 s")
        time.sleep(2)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        reader.join(timeout=120)  # the output ends when bash, the web server and the worker have all stopped
        if reader.is_alive():
            os.killpg(process.pid, signal.SIGKILL)
            reader.join()
        process.wait()
    return "".join(lines)


def _manage(env: dict, code: str) -> str:
    return (
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )  # after the shell's own notice of automatic imports


ANSWER = """
from casefiles.models import CaseFile, Examination
from casefiles.services import answer_save, examination_open
f = CaseFile.objects.filter(inspection__slug="stalking-2026").in_sample().exclude(examinations__isnull=False).first()
e = examination_open(case_file=f, examiner=f.assigned_to)
q = e.question_set.questions.order_by("order").first()
answer_save(examination=e, question=q, value="na", comment="made between the runs", user=f.assigned_to,
            expected_version=0)
print(f.urn)
"""


def test_serving_twice_keeps_an_answer_made_between_the_runs_and_the_passwords(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "BOOTSTRAP_EXTRAS"},  # the stamp _ready_venv wrote
        "VENV": str(_ready_venv(tmp_path)),
        "VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": "",
        "CELERY_BROKER_URL": "",
        "PORT": str(_free_port()),
        "DEMO_PASSWORD": "first-run-password-1",
    }
    first = _serve(env)
    assert "Demo inspection 'stalking-2026' ready" in first
    urn = _manage(env, ANSWER)

    del env["DEMO_PASSWORD"]
    second = _serve(env)

    assert "kept as it was" in second and "ready" not in second
    found = _manage(
        env,
        "from casefiles.models import Answer; from django.contrib.auth.models import User; "
        f"print(Answer.objects.filter(examination__case_file__urn='{urn}', comment='made between the runs').count(),"
        " User.objects.get(username='inspector1').check_password('first-run-password-1'))",
    )
    assert found == "1 True"
