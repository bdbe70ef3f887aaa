"""Benchmark: 50 inspectors autosaving at once against gunicorn on PostgreSQL, and the
examination page with the full question set.

    .venv/bin/python bench/examination_load.py [--inspectors 50] [--saves 40] [--workers 4] [--threads 4]

It creates its own PostgreSQL database (default postgres://postgres@127.0.0.1:5432/casefiles_bench5,
dropped at the end unless --keep-db), migrates it, runs load_demo, adds --inspectors accounts
(bench01…) in the Inspector group and gives each three of the demo's unsubmitted files. Then:

1. In-process (Django test Client, no server): where the examination page's time goes
   (queries, data, template), and the same 84 questions rendered by our hand-written
   template, by a crispy-forms FormHelper layout (crispy-forms-gds) and by plain {{ form }}.
2. gunicorn (gthread) on a free loopback port, Redis broker db 14: --page-gets sequential
   GETs of the examination page on an idle server, after a warm-up.
3. --inspectors threads, each a simulated inspector with its own keep-alive connection
   (http.client from the standard library): sign in through /accounts/login/ with CSRF
   (--sign-ins at a time: a PBKDF2 check costs about half a second of CPU), wait for all,
   open its file's examination page, send --saves autosaves to applicable single-choice
   questions with a think time of 0–--think-ms ms (tracking each answer's version from the
   JSON reply, as the page's script does), and open the page again half-way through.

It prints latency percentiles, errors by status and throughput, gunicorn's CPU per request,
checks in the database that every 200 wrote exactly one history row, stops gunicorn and drops
the database; it exits non-zero on any non-200, client failure or database mismatch. The load
generator, PostgreSQL and gunicorn share the machine's cores (and whatever else runs there:
the load average is printed), so read the throughput as a floor and the latencies as a ceiling.
"""

import argparse
import contextlib
import html
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from http import client as http_client
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SLUG = "stalking-2026"
FILES_EACH = 3
QUESTION_RE = re.compile(
    r'<div class="app-question[^"]*" id="q-(?P<code>[^"]+)"\s+data-code="[^"]*" data-type="(?P<type>\w+)"'
    r' data-rule="(?P<rule>[^"]*)"(?: data-comment-for="[^"]*")?(?P<hidden> hidden)?>'
)
RADIO_RE = re.compile(r'name="q-(?P<code>[^"]+)" type="radio" value="(?P<value>[^"]+)"(?P<checked> checked)?')
VERSION_RE = re.compile(r'name="v-(?P<code>[^"]+)" value="(?P<version>\d+)"')
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RETRYABLE = (http_client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, http_client.CannotSendRequest)


# --- set-up ------------------------------------------------------------------------------


def configure_environment(args: argparse.Namespace) -> dict[str, str]:
    env = {
        "DATABASE_URL": args.database_url,
        "CELERY_BROKER_URL": args.broker_url,
        "CELERY_QUEUE": "bench5",
        "VAR_DIR": args.var_dir,
        "LOGIN_FAILURE_LIMIT": "1000",
        "DJANGO_SETTINGS_MODULE": "inspection.settings",
        "DEBUG": "false",
    }
    if args.conn_max_age:
        env["DATABASE_CONN_MAX_AGE"] = args.conn_max_age
    os.environ.update(env)
    os.makedirs(Path(args.var_dir) / "staticfiles", exist_ok=True)  # whitenoise warns without it
    return env


def _maintenance_url(database_url: str) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit(f"refusing database name {name!r}: use lower-case letters, digits and _")
    return urllib.parse.urlunsplit(parts._replace(path="/postgres")), name


def database_recreate(database_url: str) -> None:
    import psycopg

    url, name = _maintenance_url(database_url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def database_drop(database_url: str) -> None:
    import psycopg

    url, name = _maintenance_url(database_url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def populate(inspectors: int, password: str) -> list[tuple[str, list[str]]]:
    """The demo plus `inspectors` accounts, each holding FILES_EACH unsubmitted files
    (the demo's half-answered ones first). Returns (username, URNs) per account."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    from accounts.roles import INSPECTOR
    from casefiles.models import CaseFile, Examination
    from hub.demo import load_demo

    call_command("migrate", verbosity=0)
    load_demo(password=password)
    submitted = Examination.objects.filter(status=Examination.Status.SUBMITTED).values("case_file")
    started = set(Examination.objects.values_list("case_file", flat=True))
    files = list(
        CaseFile.objects.filter(inspection__slug=SLUG, unavailable_reason="")
        .in_sample()
        .exclude(pk__in=submitted)
        .order_by("urn")
        .values_list("pk", "urn")
    )
    files.sort(key=lambda f: f[0] not in started)  # half-answered files first: a fuller page
    if len(files) < inspectors * FILES_EACH:
        raise SystemExit(f"only {len(files)} unsubmitted files for {inspectors} inspectors")
    group = Group.objects.get(name=INSPECTOR.group)
    hashed = make_password(password)  # one hash for all: hashing 50 times only slows the set-up
    accounts = []
    for i in range(inspectors):
        user = User.objects.create(username=f"bench{i + 1:02d}", first_name="Bench", last_name=str(i + 1))
        user.password = hashed
        user.save(update_fields=["password"])
        user.groups.add(group)
        # The first file of each account is the one it edits; the file order interleaves
        # accounts so every account's first file is one of the half-answered ones if any.
        mine = [files[i + k * inspectors] for k in range(FILES_EACH)]
        CaseFile.objects.filter(pk__in=[pk for pk, _ in mine]).update(assigned_to=user)
        accounts.append((user.username, [urn for _, urn in mine]))
    return accounts


# --- the HTTP client -----------------------------------------------------------------------


class Browser:
    """One inspector's browser: a keep-alive connection and its cookies."""

    def __init__(self, port: int, timeout: float):
        self.port, self.timeout = port, timeout
        self.cookies: dict[str, str] = {}
        self.conn: http_client.HTTPConnection | None = None
        self.retries = 0

    def _connect(self) -> http_client.HTTPConnection:
        if self.conn is None:
            self.conn = http_client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, form: dict | list | None = None, referer: str = "") -> tuple:
        """(status, body, seconds). Retries once, on a fresh connection, when the server
        had closed the idle keep-alive connection before reading the request."""
        body = urllib.parse.urlencode(form, doseq=True) if form is not None else None
        headers = {"Host": f"127.0.0.1:{self.port}", "Connection": "keep-alive"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if referer:
            headers["Referer"] = f"http://127.0.0.1:{self.port}{referer}"
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                conn = self._connect()
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except RETRYABLE:
                self.close()
                if attempt == 2:
                    raise
                self.retries += 1
                continue
            elapsed = time.perf_counter() - started
            for header in response.headers.get_all("Set-Cookie") or []:
                jar = SimpleCookie()
                jar.load(header)
                for key, morsel in jar.items():
                    self.cookies[key] = morsel.value
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return response.status, data, elapsed
        raise AssertionError("unreachable")

    def sign_in(self, username: str, password: str) -> float:
        status, page, first = self.request("GET", "/accounts/login/")
        token = CSRF_RE.search(page.decode())
        if status != 200 or token is None:
            raise RuntimeError(f"login page: {status}")
        form = {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1), "next": ""}
        status, _, second = self.request("POST", "/accounts/login/", form, referer="/accounts/login/")
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{username} could not sign in: {status}")
        return first + second


@dataclass
class ExamPage:
    token: str
    editable: dict[str, list[str]]  # code -> option values, for applicable single-choice non-gate questions
    values: dict[str, str]
    versions: dict[str, int]
    questions: int
    visible: int


def parse_exam_page(text: str) -> ExamPage:
    """What the page's script reads: the token, which questions show, their options and versions.
    Questions another question's rule depends on (gates) are left alone, so changing an answer
    never makes a later question stop applying (which would, rightly, refuse its next save)."""
    token = CSRF_RE.search(text)
    if token is None:
        raise RuntimeError("no CSRF token on the examination page")
    gates, choice_visible, total, visible = set(), [], 0, 0
    for match in QUESTION_RE.finditer(text):
        total += 1
        rule = json.loads(html.unescape(match["rule"]))
        gates.update((rule.get("answers") or {}).keys())
        if not match["hidden"]:
            visible += 1
            if match["type"] == "choice":
                choice_visible.append(match["code"])
    options: dict[str, list[str]] = {}
    values: dict[str, str] = {}
    for match in RADIO_RE.finditer(text):
        options.setdefault(match["code"], []).append(match["value"])
        if match["checked"]:
            values[match["code"]] = match["value"]
    versions = {m["code"]: int(m["version"]) for m in VERSION_RE.finditer(text)}
    editable = {code: options[code] for code in choice_visible if code not in gates and len(options.get(code, [])) > 1}
    return ExamPage(token.group(1), editable, values, versions, total, visible)


# --- the load --------------------------------------------------------------------------------


@dataclass
class Results:
    lock: threading.Lock = field(default_factory=threading.Lock)
    saves: list[float] = field(default_factory=list)
    pages: list[float] = field(default_factory=list)
    logins: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    saved_ok: int = 0
    retries: int = 0
    page_sizes: list[int] = field(default_factory=list)
    visible: list[int] = field(default_factory=list)
    editable: list[int] = field(default_factory=list)
    final_versions: dict = field(default_factory=dict)  # (urn, code) -> version the client last saw

    def add(self, name: str, seconds: float) -> None:
        with self.lock:
            getattr(self, name).append(seconds)


def exam_path(urn: str) -> str:
    return f"/inspections/{SLUG}/files/{urllib.parse.quote(urn)}/examine/"


def inspector_run(
    args: argparse.Namespace,
    port: int,
    username: str,
    urn: str,
    gates: tuple[threading.Semaphore, threading.Barrier],
    out: Results,
    seed: int,
) -> None:
    """Sign in (a few at a time: PBKDF2 is meant to be slow), wait for everyone, then edit."""
    rng = random.Random(seed)
    browser = Browser(port, args.timeout)
    signing_in, ready = gates
    signed_in = False
    try:
        with signing_in:
            out.add("logins", browser.sign_in(username, args.password))
        signed_in = True
    except Exception as exc:  # noqa: BLE001 — a failed sign-in is a result to print, not a crash
        with out.lock:
            out.failures.append(f"{username} sign-in: {type(exc).__name__}: {exc}")
    try:
        ready.wait(timeout=args.max_seconds)
    except threading.BrokenBarrierError:
        return
    if not signed_in:
        return
    deadline = time.monotonic() + args.max_seconds
    try:
        page_path = exam_path(urn)
        time.sleep(rng.uniform(0, args.think_ms / 1000))  # not all 50 pages in the same millisecond
        status, body, seconds = browser.request("GET", page_path)
        out.add("pages", seconds)
        with out.lock:
            out.statuses[f"GET page {status}"] += 1
        if status != 200:
            raise RuntimeError(f"examination page answered {status}")
        page = parse_exam_page(body.decode())
        with out.lock:
            out.page_sizes.append(len(body))
            out.visible.append(page.visible)
            out.editable.append(len(page.editable))
        codes = sorted(page.editable)
        for n in range(args.saves):
            if time.monotonic() > deadline:
                break
            if n == args.saves // 2:  # back to the page half-way, as after a break
                status, _, seconds = browser.request("GET", page_path)
                out.add("pages", seconds)
                with out.lock:
                    out.statuses[f"GET page {status}"] += 1
            time.sleep(rng.uniform(0, args.think_ms / 1000))
            code = rng.choice(codes)
            choices = [v for v in page.editable[code] if v != page.values.get(code)]
            value = rng.choice(choices)
            form = {
                "csrfmiddlewaretoken": page.token,
                f"v-{code}": str(page.versions.get(code, 0)),
                f"q-{code}": value,
                f"c-{code}": "Bench comment." if rng.random() < 0.2 else "",
            }
            path = f"/inspections/{SLUG}/files/{urllib.parse.quote(urn)}/answers/{code}/"
            status, body, seconds = browser.request("POST", path, form, referer=page_path)
            out.add("saves", seconds)
            with out.lock:
                out.statuses[f"POST autosave {status}"] += 1
            if status == 200:
                reply = json.loads(body)
                page.versions[code], page.values[code] = reply["version"], value
                with out.lock:
                    out.saved_ok += 1
                    out.final_versions[(urn, code)] = reply["version"]
            elif len(out.failures) < 20:
                with out.lock:
                    out.failures.append(f"{username} {code}: {status} {body[:200]!r}")
    except Exception as exc:  # noqa: BLE001 — reported with the figures
        with out.lock:
            out.failures.append(f"{username}: {type(exc).__name__}: {exc}")
    finally:
        with out.lock:
            out.retries += browser.retries
        browser.close()


def concurrent_load(
    args: argparse.Namespace, port: int, accounts: list[tuple[str, list[str]]], server: subprocess.Popen
) -> tuple:
    out = Results()
    ready = threading.Barrier(len(accounts) + 1)
    gates = (threading.Semaphore(args.sign_ins), ready)
    threads = [
        threading.Thread(target=inspector_run, args=(args, port, name, urns[0], gates, out, i), daemon=True)
        for i, (name, urns) in enumerate(accounts)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    with contextlib.suppress(threading.BrokenBarrierError):
        ready.wait(timeout=args.max_seconds)
    signed_in, server_cpu, client_cpu = time.perf_counter(), server_cpu_seconds(server), time.process_time()
    for thread in threads:
        thread.join(timeout=max(1.0, args.max_seconds + args.timeout - (time.perf_counter() - signed_in)))
    finished = time.perf_counter()
    cpu = (server_cpu_seconds(server) - server_cpu, time.process_time() - client_cpu)
    return out, signed_in - started, finished - signed_in, cpu


def sequential_pages(
    args: argparse.Namespace, port: int, username: str, urn: str, server: subprocess.Popen
) -> tuple[list[float], int, float]:
    """(seconds per timed GET, page bytes, gunicorn CPU seconds per timed GET)."""
    browser = Browser(port, args.timeout)
    browser.sign_in(username, args.password)
    times, size, cpu = [], 0, 0.0
    try:
        for i in range(args.warmup + args.page_gets):
            if i == args.warmup:
                cpu = server_cpu_seconds(server)
            status, body, seconds = browser.request("GET", exam_path(urn))
            if status != 200:
                raise RuntimeError(f"examination page answered {status}")
            size = len(body)
            if i >= args.warmup:
                times.append(seconds)
        cpu = (server_cpu_seconds(server) - cpu) / max(args.page_gets, 1)
    finally:
        browser.close()
    return times, size, cpu


# --- in-process measurements ---------------------------------------------------------------


def best_and_median(fn, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def password_hasher() -> str:
    from django.contrib.auth.hashers import get_hasher

    hasher = get_hasher()
    return f"{hasher.algorithm}, {getattr(hasher, 'iterations', '?'):,} iterations"


def password_check_ms(user) -> float:
    started = time.perf_counter()
    user.check_password("not the password")
    return (time.perf_counter() - started) * 1000


@contextlib.contextmanager
def counting_queries():
    """The SQL run inside the block. (CaptureQueriesContext sees none through the test
    Client: request_started resets the query log.)"""
    from django.db import connection

    seen: list[str] = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield seen


def in_process_autosaves(client, urn: str, page_html: str, runs: int) -> tuple[int, list[float], list[float]]:
    """Autosaves through the test Client (no CSRF check there), alternating two options of
    one applicable non-gate question so every save writes."""
    page = parse_exam_page(page_html)
    code = sorted(page.editable)[0]
    first, second = page.editable[code][:2]
    version, times, cpu, count = page.versions.get(code, 0), [], [], 0
    for n in range(runs + 1):
        value = first if page.values.get(code) != first else second
        form = {f"v-{code}": str(version), f"q-{code}": value, f"c-{code}": ""}
        path = f"/inspections/{SLUG}/files/{urllib.parse.quote(urn)}/answers/{code}/"
        with counting_queries() as queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.post(path, form)
            elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
        if response.status_code != 200:
            raise RuntimeError(f"in-process autosave answered {response.status_code}: {response.content[:200]!r}")
        version, page.values[code] = response.json()["version"], value
        if n:  # the first one is a warm-up
            times.append(elapsed)
            cpu.append(elapsed_cpu)
            count = len(queries)
    return count, times, cpu


def crispy_form_and_helper(questions: list) -> tuple:
    """A throwaway Django form holding the same questions (and a comment each), and a
    crispy-forms-gds FormHelper laying them out by section as the issue suggested."""
    from crispy_forms_gds.helper import FormHelper
    from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
    from django import forms

    fields, sections = {}, {}
    for q in questions:
        label, options = f"{q.code}. {q.text}", [(o.code, o.label) for o in q.options.all()]
        if q.answer_type == "choice":
            fields[q.code] = forms.ChoiceField(
                label=label, help_text=q.criterion, choices=options, widget=forms.RadioSelect, required=False
            )
            layout = Field.radios(q.code, legend_size=Size.SMALL, small=True)
        elif q.answer_type == "multi":
            fields[q.code] = forms.MultipleChoiceField(
                label=label, help_text=q.criterion, choices=options, widget=forms.CheckboxSelectMultiple, required=False
            )
            layout = Field.checkboxes(q.code, legend_size=Size.SMALL, small=True)
        else:
            fields[q.code] = forms.CharField(label=label, help_text=q.criterion, required=False)
            layout = Field.text(q.code, label_size=Size.SMALL)
        fields[f"c-{q.code}"] = forms.CharField(label=f"Comment on {q.code}", widget=forms.Textarea, required=False)
        sections.setdefault(q.section.title, []).extend([layout, Field.textarea(f"c-{q.code}", rows=2)])
    form_class = type("BenchExaminationForm", (forms.Form,), fields)
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(
        *(Fieldset(*items, legend=title, legend_size=Size.MEDIUM) for title, items in sections.items())
    )
    return form_class, helper


def in_process(args: argparse.Namespace, username: str, urn: str) -> list[str]:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.template import Context, Template
    from django.template.loader import render_to_string
    from django.test import Client

    from casefiles.access import access_case_file_to_examine
    from casefiles.examination_page import page_answers as _answers
    from casefiles.examination_page import page_questions as _questions
    from casefiles.examining import section_views
    from casefiles.services import examination_open

    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    path = exam_path(urn)
    client.get(path)  # the first request opens the examination
    with counting_queries() as queries:
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    whole = best_and_median(lambda: client.get(path), args.render_runs)
    save_query_count, save_times, save_cpu = in_process_autosaves(
        client, urn, response.content.decode(), args.render_runs
    )

    case_file = access_case_file_to_examine(user, SLUG, urn)
    examination = examination_open(case_file=case_file, examiner=user)
    questions, answers = _questions(examination), _answers(examination)
    sections = section_views(questions, case_file, answers)
    parts = {
        "access + examination_open": lambda: examination_open(
            case_file=access_case_file_to_examine(user, SLUG, urn), examiner=user
        ),
        "questions (3 queries)": lambda: _questions(examination),
        "answers": lambda: _answers(examination),
        "section_views (rules)": lambda: section_views(questions, case_file, answers),
    }
    request = response.wsgi_request
    context = {"case_file": case_file, "examination": examination, "sections": sections, "has_problems": False}
    context["editable"] = True
    parts["examine.html render"] = lambda: render_to_string("casefiles/examine.html", context, request=request)

    ours = Template(
        '{% for section in sections %}{% for q in section.questions %}{% include "casefiles/_question.html" %}'
        "{% endfor %}{% endfor %}"
    )
    form_class, helper = crispy_form_and_helper(questions)
    initial = {code: a.value for code, a in answers.items()}
    crispy = Template("{% load crispy_forms_tags %}{% crispy form helper %}")
    plain = Template("{{ form }}")
    renders = {
        "our _question.html × 84": lambda: ours.render(Context({"sections": sections, "editable": True})),
        "crispy {% crispy form helper %}": lambda: crispy.render(
            Context({"form": form_class(initial=initial), "helper": helper})
        ),
        "plain Django {{ form }}": lambda: plain.render(Context({"form": form_class(initial=initial)})),
    }
    lines = [
        f"GET examination page: {len(queries)} queries, {len(response.content) / 1024:.0f} KB; "
        f"best {whole[0] * 1000:.1f} ms, median {whole[1] * 1000:.1f} ms over {args.render_runs} GETs",
        f"POST autosave: {save_query_count} queries; best {min(save_times) * 1000:.1f} ms, "
        f"median {statistics.median(save_times) * 1000:.1f} ms over {len(save_times)} saves; "
        f"this process's CPU a save: median {statistics.median(save_cpu) * 1000:.1f} ms (PostgreSQL's not included)",
        f"one password check ({password_hasher()}): {password_check_ms(user):.0f} ms — each sign-in pays it",
        "where the page's time goes (best and median of each step alone):",
    ]
    for name, fn in parts.items():
        best, median = best_and_median(fn, args.render_runs)
        lines.append(f"  {name:<34} best {best * 1000:7.1f} ms   median {median * 1000:7.1f} ms")
    lines.append(f"the same {len(questions)} questions and their comment boxes, rendered only (no queries):")
    sizes = {name: len(fn()) for name, fn in renders.items()}
    best, median = {}, {}
    for name, fn in renders.items():
        best[name], median[name] = best_and_median(fn, args.render_runs)
        lines.append(
            f"  {name:<34} best {best[name] * 1000:7.1f} ms   median {median[name] * 1000:7.1f} ms   "
            f"{sizes[name] / 1024:5.0f} KB"
        )
    ours, crispy, plain = renders
    lines.append(
        f"  crispy / ours = {best[crispy] / best[ours]:.1f}× (best), {median[crispy] / median[ours]:.1f}× (median); "
        f"crispy / plain {{{{ form }}}} = {best[crispy] / best[plain]:.1f}× (best), "
        f"{median[crispy] / median[plain]:.1f}× (median)"
    )
    connection.close()
    return lines


# --- gunicorn ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn_start(args: argparse.Namespace, env: dict[str, str], port: int) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"), "inspection.wsgi",
        "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers), "--threads", str(args.threads),
        "--worker-class", "gthread", "--timeout", "60", "--log-level", "warning",
    ]  # fmt: skip
    log = open(Path(args.var_dir) / "gunicorn.log", "w")  # noqa: SIM115 — closed with the process
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}; see {log.name}")
        try:
            conn = http_client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return process
            conn.close()
        except OSError:
            pass
        time.sleep(0.3)
    gunicorn_stop(process)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def server_cpu_seconds(process: subprocess.Popen) -> float:
    """User + system CPU of gunicorn's master and workers so far (PostgreSQL's not included)."""
    pids = [process.pid]
    try:
        pids += [int(p) for p in Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()]
    except OSError:
        return float("nan")
    ticks, total = os.sysconf("SC_CLK_TCK"), 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def gunicorn_stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- figures ------------------------------------------------------------------------------------


def percentile(times: list[float], p: float) -> float:
    """Nearest-rank percentile, in ms."""
    ordered = sorted(times)
    return ordered[max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))] * 1000


def summary(name: str, times: list[float]) -> str:
    if not times:
        return f"{name:<34} no requests"
    return (
        f"{name:<34} n={len(times):>5}  p50 {percentile(times, 50):7.1f}  p95 {percentile(times, 95):7.1f}  "
        f"p99 {percentile(times, 99):7.1f}  max {max(times) * 1000:7.1f} ms"
    )


def check_history(out: Results, accounts: list[tuple[str, list[str]]]) -> tuple[str, bool]:
    """Every 200 wrote one history row, and each answer's version is the one its client last saw."""
    from casefiles.models import Answer, AnswerChange

    names, edited = [name for name, _ in accounts], [urns[0] for _, urns in accounts]
    rows = AnswerChange.objects.filter(
        changed_by__username__in=names, source="examiner", answer__examination__case_file__urn__in=edited
    ).count()
    stored = {
        (urn, code): version
        for urn, code, version in Answer.objects.filter(
            examination__case_file__inspection__slug=SLUG, question__code__in={c for _, c in out.final_versions}
        ).values_list("examination__case_file__urn", "question__code", "version")
    }
    mismatched = sum(1 for key, version in out.final_versions.items() if stored.get(key) != version)
    ok = rows == out.saved_ok and not mismatched and out.saved_ok > 0
    verdict = "OK" if ok else "MISMATCH"
    return (
        f"database check: {rows} history rows for {out.saved_ok} successful autosaves; "
        f"{len(out.final_versions) - mismatched}/{len(out.final_versions)} answers at the version last seen "
        f"— {verdict}",
        ok,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inspectors", type=int, default=50)
    parser.add_argument("--saves", type=int, default=40, help="autosaves per inspector")
    parser.add_argument("--think-ms", type=float, default=50, help="think time between saves: uniform 0..N ms")
    parser.add_argument("--page-gets", type=int, default=200, help="sequential examination page GETs, idle server")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--render-runs", type=int, default=30, help="in-process repetitions of each render")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--conn-max-age", default="", help="DATABASE_CONN_MAX_AGE for the server (default: the app's, 0)"
    )
    parser.add_argument("--sign-ins", type=int, default=8, help="inspectors signing in at the same time")
    parser.add_argument("--timeout", type=float, default=60, help="client socket timeout, seconds")
    parser.add_argument("--max-seconds", type=float, default=180, help="the load phase stops by then whatever")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/casefiles_bench5")
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--var-dir", default="/tmp/bench5-var")  # noqa: S108 — a scratch dir of its own
    parser.add_argument("--keep-db", action="store_true", help="leave the database for inspection")
    parser.add_argument("--in-process-only", action="store_true", help="stop after the in-process figures")
    args = parser.parse_args()
    args.password = secrets.token_urlsafe(12)
    if not args.database_url.startswith("postgres"):
        raise SystemExit("this benchmark runs on PostgreSQL: give a postgres:// --database-url")

    env = configure_environment(args)
    database_recreate(args.database_url)
    process, failed = None, False
    try:
        started = time.perf_counter()
        accounts = populate(args.inspectors, args.password)
        print(
            f"Set-up: migrate + load_demo + {len(accounts)} inspectors × {FILES_EACH} files "
            f"in {time.perf_counter() - started:.0f} s; database {args.database_url.rsplit('/', 1)[1]}"
        )
        print(f"Machine load average (1 min) before measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        first_user, spare_urn = accounts[0][0], accounts[0][1][2]  # files [0] and [1] are for the server runs
        print("\nIn-process (Django test Client, PostgreSQL, no HTTP server):")
        for line in in_process(args, first_user, spare_urn):
            print("  " + line)
        if args.in_process_only:
            return

        port = free_port()
        process = gunicorn_start(args, env, port)
        print(
            f"\ngunicorn --worker-class gthread --workers {args.workers} --threads {args.threads} on 127.0.0.1:{port} "
            f"({os.cpu_count()} cores, shared with this load generator); client: http.client, keep-alive"
        )
        times, size, cpu = sequential_pages(args, port, first_user, accounts[0][1][1], process)
        print(f"Examination page, idle server, {args.page_gets} sequential GETs after {args.warmup} warm-up:")
        print("  " + summary(f"GET examine ({size / 1024:.0f} KB)", times))
        print(f"  gunicorn CPU per GET: {cpu * 1000:.0f} ms (PostgreSQL's own CPU not included)")

        out, sign_in_seconds, load_seconds, (server_cpu, client_cpu) = concurrent_load(args, port, accounts, process)
        requests = len(out.saves) + len(out.pages)
        print(
            f"\n{args.inspectors} concurrent inspectors: signed in in {sign_in_seconds:.1f} s, then "
            f"{args.saves} autosaves each (think 0–{args.think_ms:.0f} ms) and the page twice, in {load_seconds:.1f} s"
        )
        if out.visible:
            print(
                f"  pages showed {min(out.visible)}–{max(out.visible)} applicable questions; "
                f"{min(out.editable)}–{max(out.editable)} single-choice non-gate ones edited"
            )
        print("  " + summary("sign-in (GET + POST, PBKDF2)", out.logins))
        print("  " + summary("POST autosave", out.saves))
        print("  " + summary("GET examine, under load", out.pages))
        print(
            f"  requests: {requests} in {load_seconds:.1f} s = {requests / load_seconds:.0f}/s; "
            f"autosaves {len(out.saves) / load_seconds:.0f}/s; reconnects after idle keep-alive close: {out.retries}"
        )
        per_save = (server_cpu - len(out.pages) * cpu) / max(len(out.saves), 1)
        print(
            f"  gunicorn CPU {server_cpu:.1f} s = {server_cpu / max(requests, 1) * 1000:.0f} ms a request "
            f"(≈ {per_save * 1000:.0f} ms an autosave, counting each GET at the idle figure); "
            f"load generator CPU {client_cpu:.2f} s"
        )
        print(f"  machine load average (1 min) at the end: {os.getloadavg()[0]:.1f}")
        print("  by status: " + ", ".join(f"{k}: {v}" for k, v in sorted(out.statuses.items())))
        errors = {k: v for k, v in out.statuses.items() if not k.endswith(" 200")}
        print(f"  errors: {errors or 'none'}; client failures: {len(out.failures)}")
        for failure in out.failures[:10]:
            print(f"    {failure}")
        line, consistent = check_history(out, accounts)
        print("  " + line)
        if errors or out.failures or not consistent:
            failed = True
    finally:
        if process is not None:
            gunicorn_stop(process)
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            database_drop(args.database_url)
    if failed:
        raise SystemExit("errors during the load: see above")


if __name__ == "__main__":
    main()
