"""The apps' layers, and a checker over the import graph (Python's ast; no dependency).

An app imports only apps in layers below its own; apps sharing a layer do not import each
other; no app imports the project package `inspection`. Imports anywhere in a module count,
inside functions too. Migrations are left out (Django orders them by their dependencies).
Templates count too: templates/<app>/ may name another app's URLs (`{% url 'app:…' %}`) or
templates (`{% include/extends "app/…" %}`) only below its own layer."""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

# Top to bottom.
LAYERS: list[set[str]] = [
    {"hub"},
    {"reports", "quality", "sampling", "security"},
    {"casefiles"},
    {"questionset"},
    {"accounts"},
]
PROJECT = "inspection"
APPS = {app for layer in LAYERS for app in layer}


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    importer: str
    imported: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.importer} imports {self.imported}"


def _level(app: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if app in layer)


def allowed(importer: str, imported: str) -> bool:
    if imported == PROJECT:
        return False
    return importer == imported or _level(imported) > _level(importer)


def _imported_packages(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def violations(root: Path) -> list[Violation]:
    """Every import under root's app folders that breaks the layers."""
    found = []
    for app in sorted(APPS):
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.relative_to(root).parts:
                continue
            for line, package in _imported_packages(ast.parse(path.read_text(encoding="utf-8"))):
                if (package in APPS or package == PROJECT) and not allowed(app, package):
                    found.append(Violation(str(path.relative_to(root)), line, app, package))
    return found


TEMPLATE_REFERENCE = re.compile(r"""\{%\s*(?:url\s+['"](\w+):|(?:include|extends)\s+['"](\w+)/)""")


def template_violations(root: Path) -> list[Violation]:
    """Every template reference under templates/<app>/ that breaks the layers."""
    found = []
    for app in sorted(APPS):
        for path in sorted((root / "templates" / app).rglob("*.html")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                for match in TEMPLATE_REFERENCE.finditer(line):
                    named = match.group(1) or match.group(2)
                    if named in APPS and not allowed(app, named):
                        found.append(Violation(str(path.relative_to(root)), number, app, named))
    return found


def cross_app_imports(root: Path) -> int:
    """How many import statements name another app or the project (the README's figure)."""
    count = 0
    for app in sorted(APPS):
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.relative_to(root).parts:
                continue
            imported = _imported_packages(ast.parse(path.read_text(encoding="utf-8")))
            count += sum(1 for _, p in imported if p != app and (p in APPS or p == PROJECT))
    return count
