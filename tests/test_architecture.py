"""Imports point one way through the house (docs/architecture.md): an app uses only the layers below it."""

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "brobygger"

# Lower number, lower layer. Project-level helpers (fields, submit, widgets, renderers, health checks, the database
# router) sit just above rules.
LAYERS = {
    "rules": 0,
    "bulk": 0,  # imports nothing of ours; the audit trail writes through it
    "fields": 1,
    "submit": 1,
    "widgets": 1,
    "renderers": 1,
    "health": 1,
    "routers": 1,
    "background": 1,
    "regelverk": 1,
    "audit": 1,
    "compiled": 1,  # queries built and compiled once per thread (reporting, the caseload)
    "accounts": 2,
    "participants": 3,
    "fidelity": 4,
    "reporting": 5,
    "privacy": 4,
    "grants": 6,
    "api": 7,
    "bench": 8,
    "middleware": 8,
}


def _imported_apps(path: Path) -> set[str]:
    apps = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "brobygger" and len(parts) > 1:
                apps.add(parts[1])
    return apps


def _modules_of(app: str) -> list[Path]:
    root = PACKAGE / app
    files = [root.with_suffix(".py")] if root.with_suffix(".py").exists() else list(root.rglob("*.py"))
    return [f for f in files if "tests" not in f.parts and "migrations" not in f.parts]


def upward_imports(app: str) -> list[str]:
    """Each import of a layer at the same height or above, as 'file -> app'."""
    return [
        f"{path.relative_to(PACKAGE)} -> {other}"
        for path in _modules_of(app)
        for other in sorted(_imported_apps(path))
        if other in LAYERS and other != app and LAYERS[other] >= LAYERS[app]
    ]


@pytest.mark.parametrize("app", sorted(LAYERS))
def test_an_app_imports_only_the_layers_below_it(app):
    assert upward_imports(app) == []


def test_every_app_has_a_place_in_the_layers():
    apps = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()} | {
        p.stem for p in PACKAGE.glob("*.py") if p.stem not in {"__init__", "settings", "urls", "wsgi", "asgi"}
    }
    assert apps - set(LAYERS) == set()


def test_the_check_sees_an_import_that_runs_back_up(tmp_path, monkeypatch):
    (tmp_path / "audit").mkdir()
    (tmp_path / "audit" / "views.py").write_text("from brobygger.accounts import access\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path)
    assert upward_imports("audit") == ["audit/views.py -> accounts"]


# The grant services share their write helpers through grants.writes under public names; a private helper taken from
# another service module ties the two together where no one looks.
GRANT_SERVICE_MODULES = ("services", "writes", "control", "payments", "annual_reports", "figures")


def private_imports_between_grant_services() -> list[str]:
    found = []
    for path in _modules_of("grants"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("brobygger.grants."):
                continue
            if node.module.split(".")[2] not in GRANT_SERVICE_MODULES:
                continue
            found += [
                f"{path.relative_to(PACKAGE)}: {alias.name}" for alias in node.names if alias.name.startswith("_")
            ]
    return found


def test_no_grant_module_takes_a_private_helper_from_a_service_module():
    assert private_imports_between_grant_services() == []
