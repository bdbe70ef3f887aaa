"""The layering the README states, enforced over the import graph (tests/layers.py)."""

import shutil
from pathlib import Path

from tests.layers import APPS, LAYERS, template_violations, violations

ROOT = Path(__file__).resolve().parent.parent


def test_every_app_imports_only_the_layers_below_it():
    assert [str(v) for v in violations(ROOT)] == []


def test_every_apps_templates_name_only_urls_and_templates_of_the_layers_below():
    assert [str(v) for v in template_violations(ROOT)] == []


def test_the_template_check_fails_on_a_link_up_the_layers(tmp_path):
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    assert template_violations(tmp_path) == []
    page = tmp_path / "templates" / "casefiles" / "queue.html"
    page.write_text(page.read_text() + "\n<a href=\"{% url 'quality:feedback' inspection.slug %}\">Feedback</a>\n")
    assert [v.importer + ">" + v.imported for v in template_violations(tmp_path)] == ["casefiles>quality"]


def test_every_app_folder_is_in_a_layer():
    apps_on_disk = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert apps_on_disk == APPS
    assert LAYERS[0] == {"hub"} and LAYERS[-1] == {"accounts"}


def _copy_of_the_apps(tmp_path: Path) -> Path:
    for app in APPS:
        shutil.copytree(ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__", "data"))
    return tmp_path


def _add_line(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n\n{line}\n", encoding="utf-8")


def test_it_fails_when_a_lower_app_imports_a_higher_one(tmp_path):
    root = _copy_of_the_apps(tmp_path)
    assert violations(root) == []
    _add_line(root / "questionset" / "models.py", "def later():\n    from casefiles.models import Examination")
    found = [str(v) for v in violations(root)]
    assert len(found) == 1 and found[0].startswith("questionset/models.py:") and "imports casefiles" in found[0]


def test_it_fails_when_apps_of_one_layer_import_each_other(tmp_path):
    root = _copy_of_the_apps(tmp_path)
    _add_line(root / "quality" / "queries.py", "from sampling.draw import dip_target")
    assert [v.importer + ">" + v.imported for v in violations(root)] == ["quality>sampling"]


def test_it_fails_when_an_app_imports_the_project_package(tmp_path):
    root = _copy_of_the_apps(tmp_path)
    _add_line(root / "casefiles" / "apps.py", "import inspection.celery")
    assert [v.importer + ">" + v.imported for v in violations(root)] == ["casefiles>inspection"]
