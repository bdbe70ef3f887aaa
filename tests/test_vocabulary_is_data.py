"""No application code names an inspection's vocabulary: categories, courts and outcomes come from the plan."""

import re
from pathlib import Path

from django.conf import settings

VOCABULARY = re.compile(r"stalking|harassment|breach_of_order|controlling_coercive|magistrates|vrr", re.IGNORECASE)
APPS = [
    "accounts",
    "casefiles",
    "questionset",
    "sampling",
    "reports",
    "quality",
    "inspection",
    "hub",
    "templates",
    "static/js",
]
SKIPPED_PARTS = {"migrations", "data", "__pycache__"}
# The one place that names the shipped inspection's data files (create_inspection's and load_demo's defaults).
ALLOWED = {
    ("inspection/settings.py", 'DEFAULT_PLAN_FILE = BASE_DIR / "sampling" / "data" / "stalking-2026-plan.yaml"'),
    ("inspection/settings.py", 'BASE_DIR / "questionset" / "data" / "stalking-2026.yaml",'),
    ("inspection/settings.py", 'BASE_DIR / "questionset" / "data" / "stalking-2026-v2.yaml",'),
}


def application_files():
    root = Path(settings.BASE_DIR)
    for app in APPS:
        for path in sorted((root / app).rglob("*")):
            relative = path.relative_to(root)
            if path.suffix in {".py", ".html", ".js", ".txt"} and not SKIPPED_PARTS & set(relative.parts):
                yield relative.as_posix(), path


def test_no_application_code_names_an_inspections_vocabulary():
    hits = [
        f"{name}:{number}: {line.strip()}"
        for name, path in application_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if VOCABULARY.search(line) and (name, line.strip()) not in ALLOWED
    ]
    assert hits == []


def test_the_check_sees_the_application_code():
    names = {name for name, _ in application_files()}
    assert {"sampling/plan.py", "reports/tables.py", "templates/sampling/frame.html"} <= names
    assert not any("/migrations/" in n or n.startswith("sampling/data/") for n in names)
