"""The house's import directions for grants: it uses rules, regelverk, audit and accounts (and may read reporting
and fidelity); nothing below it imports it, only the API on top."""

import ast
from pathlib import Path

BROBYGGER = Path(__file__).resolve().parents[2]
# ``fields`` and ``widgets`` are the project-level form helpers (a bounded DateField, the date picker).
ALLOWED_FOR_GRANTS = {
    "rules",
    "regelverk",
    "audit",
    "accounts",
    "reporting",
    "fidelity",
    "grants",
    "widgets",
    "fields",
    "routers",
}
MAY_IMPORT_GRANTS = {"grants", "api"}


def _brobygger_imports(path: Path) -> set[str]:
    """The second part of every ``brobygger.<app>`` the module imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        found |= {name.split(".")[1] for name in names if name.startswith("brobygger.") and name.count(".") >= 1}
    return found


def test_grants_imports_only_the_apps_it_may_use():
    wrong = {
        str(path.relative_to(BROBYGGER)): sorted(_brobygger_imports(path) - ALLOWED_FOR_GRANTS)
        for path in (BROBYGGER / "grants").rglob("*.py")
    }
    assert {path: apps for path, apps in wrong.items() if apps} == {}


def test_nothing_below_grants_imports_it():
    offenders = [
        str(path.relative_to(BROBYGGER))
        for path in BROBYGGER.rglob("*.py")
        if path.relative_to(BROBYGGER).parts[0] not in MAY_IMPORT_GRANTS and "grants" in _brobygger_imports(path)
    ]
    assert offenders == []
