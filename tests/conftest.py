"""Fixtures: personas (an inspector, a colleague, the lead, the QA lead, a writer, an
outsider), a small inspection, and a real Celery worker process."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User

from accounts.roles import INSPECTOR, LEAD, QA_LEAD, REPORT_WRITER, sync_role_groups
from casefiles.areas import ensure_areas
from casefiles.models import Area, CaseFile, Inspection
from questionset.services import question_set_load_file
from sampling.plan import DEFAULT_PLAN, load_plan_file

FIXTURES = Path(__file__).parent / "fixtures"
PASSWORD = "correct-horse-battery-staple"


def make_user(username: str, *roles) -> User:
    sync_role_groups()
    user = User.objects.create_user(username, password=PASSWORD, first_name=username.title())
    user.groups.set([Group.objects.get(name=r.group) for r in roles])
    return user


@pytest.fixture
def inspector(db) -> User:
    return make_user("inspector1", INSPECTOR)


@pytest.fixture
def colleague(db) -> User:
    return make_user("inspector2", INSPECTOR)


@pytest.fixture
def lead(db) -> User:
    return make_user("lead", LEAD)


@pytest.fixture
def qa_lead(db) -> User:
    return make_user("qa", QA_LEAD)


@pytest.fixture
def writer(db) -> User:
    return make_user("writer", REPORT_WRITER)


@pytest.fixture
def outsider(db) -> User:
    return User.objects.create_user("outsider", password=PASSWORD)


@pytest.fixture
def mini_question_set(db):
    return question_set_load_file(path=FIXTURES / "mini-questionset.yaml")


@pytest.fixture
def inspection(db, mini_question_set) -> Inspection:
    return Inspection.objects.create(
        slug="test-inspection",
        name="Test inspection",
        question_set=mini_question_set,
        plan=load_plan_file(DEFAULT_PLAN).as_data(),
    )


CASE_FILE_FIELDS = {"area", "stratum", "role", "reserve_rank", "unavailable_reason", "in_dip", "replaces"}


def make_case_file(inspection: Inspection, urn: str, assigned_to=None, **given) -> CaseFile:
    """A case file of the stalking plan; keyword arguments that are not CaseFile fields are its
    case attributes (booleans as yes/no, dates as ISO text, as the frame stores them)."""
    values = {"area": Area.objects.get(name="Wessex"), "stratum": "stalking_crown"}
    attributes = {"category": "stalking", "outcome": "charged", "court": "crown", "domestic_abuse": "yes", "vrr": "no",
                  "decision_date": "2025-01-15"}  # fmt: skip
    for key, value in given.items():
        if key in CASE_FILE_FIELDS:
            values[key] = value
        elif isinstance(value, bool):
            attributes[key] = "yes" if value else "no"
        else:
            attributes[key] = value.isoformat() if hasattr(value, "isoformat") else value
    return CaseFile.objects.create(
        inspection=inspection, urn=urn, assigned_to=assigned_to, attributes=attributes, **values
    )


@pytest.fixture
def case_file(inspection, inspector) -> CaseFile:
    return make_case_file(inspection, "52WS0001", assigned_to=inspector)


def _worker_database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] or ""
    auth = f"{user}:{db['PASSWORD']}@" if db.get("PASSWORD") else (f"{user}@" if user else "")
    return f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real `celery worker` process on the configured broker, using the test database."""
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    env = {**os.environ, "DATABASE_URL": _worker_database_url(), "PYTHONUNBUFFERED": "1"}
    with open(log, "w") as out:
        process = subprocess.Popen(
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
    deadline = time.monotonic() + 60
    while "ready." not in log.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the Celery worker did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    process.log = log
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(autouse=True)
def cps_areas(request):
    """The Areas come from a data migration, which transactional tests flush: put them back."""
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames):
        request.getfixturevalue("transactional_db" if _is_transactional(request) else "db")
        ensure_areas(Area)


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or "live_server" in request.fixturenames


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_of_this_test_process(settings, worker_id):
    """Under pytest-xdist (`bin/test --unit`) each process writes its own files: report and
    question-set files are named by database ids, which every process's database reuses."""
    if worker_id != "master":
        settings.MEDIA_ROOT = Path(settings.MEDIA_ROOT) / worker_id


def _enrol_role_holders(**_kwargs) -> None:
    """The rule the teams migration applied to existing data: every holder of a global role is
    in every inspection's team in that role."""
    from accounts.roles import ALL_ROLES
    from casefiles.models import InspectionMember

    inspections = list(Inspection.objects.values_list("pk", flat=True))
    InspectionMember.objects.bulk_create(
        [
            InspectionMember(inspection_id=inspection_id, user_id=user_id, role=role.code)
            for role in ALL_ROLES
            for user_id in User.objects.filter(groups__name=role.group).values_list("pk", flat=True)
            for inspection_id in inspections
        ],
        ignore_conflicts=True,
    )


@pytest.fixture(autouse=True)
def everyone_in_every_team(request):
    """Tests written before per-inspection teams keep their meaning: role holders are members of
    every inspection. Tests of need-to-know (`@pytest.mark.teams`) build their teams themselves."""
    if request.node.get_closest_marker("teams"):
        yield
        return
    from django.db.models.signals import m2m_changed, post_save

    post_save.connect(_enrol_role_holders, sender=Inspection, dispatch_uid="test-teams")
    m2m_changed.connect(_enrol_role_holders, sender=User.groups.through, dispatch_uid="test-teams-groups")
    yield
    post_save.disconnect(sender=Inspection, dispatch_uid="test-teams")
    m2m_changed.disconnect(sender=User.groups.through, dispatch_uid="test-teams-groups")
