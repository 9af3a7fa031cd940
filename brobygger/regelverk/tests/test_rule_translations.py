"""Every reason template a rule can give has an English translation, so a page in English never shows a rule's
reason in bokmål. The templates are read from the rules' source, not from the catalogue, so a new rule without a
translation fails here."""

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

import brobygger.rules

RULES = Path(brobygger.rules.__file__).parent


def _templates() -> set[str]:
    found = set()
    for source in RULES.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Text" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
    return found


def _has_words(template: str) -> bool:
    return bool(re.search(r"[A-Za-zÆØÅæøå]", re.sub(r"\{[^}]*\}", "", template)))


TEMPLATES = sorted(template for template in _templates() if _has_words(template))


def test_the_rules_give_reason_templates():
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_reason_template_has_an_english_translation(template):
    with translation.override("en"):
        assert translation.gettext(template) != template, f"Mangler engelsk oversettelse: {template!r}"


def _text_calls_whose_template_is_an_expression() -> list[str]:
    """``Text(" og ".join(...))``: xgettext (``--keyword=Text``) takes the first string literal in the call, here
    " og ", as a msgid. A template built at run time goes to Text as a name instead."""
    found = []
    for source in RULES.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Text" and node.args:
                first = node.args[0]
                if not isinstance(first, ast.Constant | ast.Name) and any(
                    isinstance(part, ast.Constant) and isinstance(part.value, str) for part in ast.walk(first)
                ):
                    found.append(f"{source.name}:{node.lineno}")
    return found


def test_no_text_template_has_a_literal_that_makemessages_would_take_for_a_sentence():
    assert _text_calls_whose_template_is_an_expression() == []
