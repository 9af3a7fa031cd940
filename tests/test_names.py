"""One language in the code: no model, field, service, access helper, form, view or URL name uses a bokmål word.

The words are the glossary's (docs/glossary.md, first column), so a new domain noun is caught once it is there.
Stored values, URLs, rule ids and indicator codes are bokmål on purpose and are not names in this sense.
"""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "brobygger"
FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e"})
# Modules whose top-level functions and classes are the names the check covers.
NAMED_MODULES = re.compile(r"(^|/)(services|access|forms\w*|views\w*|api|schemas|caseload|admin)(\.py$|/)")


def _glossary_rows() -> list[list[str]]:
    text = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    rows = [line.strip("|").split("|") for line in text.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row] for row in rows[1:] if len(row) >= 3 and not row[0].startswith("---")]


def bokmal_words() -> frozenset[str]:
    """The glossary's bokmål words, folded to ASCII, less those its English columns use too (ips, plan)."""
    rows = _glossary_rows()
    # Stored values stand in parentheses beside an identifier (`Role.CLINICIAN` (`behandler`)): not English.
    english = {
        w for row in rows for cell in row[1:] for w in re.findall(r"[a-z]+", re.sub(r"\(.*?\)", "", cell).lower())
    }
    words = {w for row in rows for w in re.findall(r"[a-zæøåé]+", row[0].lower().translate(FOLD) if row else "")}
    return frozenset(w.translate(FOLD) for w in words if len(w) >= 4 and w.translate(FOLD) not in english)


def name_parts(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return [part.lower() for part in re.split(r"[_\W]+", spaced) if part]


def bokmal_in(name: str, words: frozenset[str]) -> bool:
    return any(part.startswith(word) for part in name_parts(name) for word in words)


def _code_names() -> list[tuple[str, str]]:
    found = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if "tests/" in relative or "migrations/" in relative or not NAMED_MODULES.search(relative):
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                found.append((relative, node.name))
    return found


def _model_names() -> list[tuple[str, str]]:
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("brobygger."):
            continue
        found.append((model._meta.label, model.__name__))
        for field in model._meta.get_fields(include_hidden=False):
            if field.auto_created and not field.concrete:
                continue  # a reverse relation: its name is the related_name, checked on the field that sets it
            found.append((model._meta.label, field.name))
            related = getattr(field.remote_field, "related_name", None) if field.remote_field else None
            if related and not related.endswith("+"):
                found.append((model._meta.label, related))
    return found


def _url_names(patterns=None) -> list[tuple[str, str]]:
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            found.extend(_url_names(pattern.url_patterns))
        elif isinstance(pattern, URLPattern) and pattern.name:
            found.append(("urls", pattern.name))
            found.append(("views", getattr(pattern.callback, "__name__", "")))
    return found


def test_the_glossary_gives_the_words_to_look_for():
    words = bokmal_words()
    assert {"deltaker", "henvisning", "forlop", "kommune", "vedtak", "klage"} <= words
    assert "plan" not in words and "ips" not in words


@pytest.mark.parametrize(
    ("name", "norwegian"),
    [
        ("Deltaker", True),
        ("get_forlop_for_user", True),
        ("henvisninger", True),
        ("KOMMUNE_PATHS", True),
        ("Participant", False),
        ("get_period_for_user", False),
        ("referrals", False),
        ("MUNICIPALITY_PATHS", False),
    ],
)
def test_the_check_tells_a_bokmal_name_from_an_english_one(name, norwegian):
    assert bokmal_in(name, bokmal_words()) is norwegian


def test_models_and_their_fields_have_english_names():
    words = bokmal_words()
    assert [f"{where}: {name}" for where, name in _model_names() if bokmal_in(name, words)] == []


def test_services_access_helpers_forms_and_views_have_english_names():
    words = bokmal_words()
    assert [f"{where}: {name}" for where, name in _code_names() if bokmal_in(name, words)] == []


def test_url_names_and_their_views_are_english():
    words = bokmal_words()
    assert [f"{where}: {name}" for where, name in _url_names() if bokmal_in(name, words)] == []
