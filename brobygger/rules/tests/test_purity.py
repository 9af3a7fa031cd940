"""The rules package is pure Python: no Django, no other Brobygger app (style.md: dependencies point one way)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

RULES_DIR = Path(__file__).parents[1]
PROJECT_ROOT = RULES_DIR.parents[1]


def _imported_modules(source: str, package: list[str]) -> list[str]:
    """Every module some source imports, with relative imports resolved against its package."""
    modules: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            modules.extend([module] if node.module else [f"{module}.{alias.name}" for alias in node.names])
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
            "import_module",
            "__import__",
        ):
            modules.extend(
                arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            )
    return modules


def _forbidden(module: str) -> bool:
    root, _, rest = module.partition(".")
    return root == "django" or (root == "brobygger" and not (rest == "rules" or rest.startswith("rules.")))


def test_rules_import_neither_django_nor_other_brobygger_apps() -> None:
    offenders = [
        f"{path.relative_to(RULES_DIR)}: {module}"
        for path in sorted(RULES_DIR.rglob("*.py"))
        for module in _imported_modules(
            path.read_text(encoding="utf-8"), list(path.relative_to(PROJECT_ROOT).parent.parts)
        )
        if _forbidden(module)
    ]
    assert offenders == []


def test_the_checker_catches_forbidden_imports() -> None:
    assert _forbidden("django.db.models")
    assert _forbidden("brobygger.accounts.models")
    assert not _forbidden("brobygger.rules.catalog")
    assert not _forbidden("holidays")
    sneaky = (
        "from ...accounts import models\nfrom ... import audit\nimport importlib\nimportlib.import_module('django')\n"
    )
    assert _imported_modules(sneaky, ["brobygger", "rules", "tests"]) == [
        "brobygger.accounts",
        "brobygger.audit",
        "importlib",
        "django",
    ]


def test_importing_the_catalogue_loads_no_django() -> None:
    code = "import sys, brobygger.rules.catalog; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"
