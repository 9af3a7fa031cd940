from pathlib import Path

import markdown
from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe

from brobygger.regelverk.forms import RuleForm
from brobygger.regelverk.services import rule_evaluate
from brobygger.rules.base import RuleInputError
from brobygger.rules.catalog import CATALOG, UnknownRuleError, get_rule
from brobygger.rules.versions import all_versions

CHANGELOG = Path(settings.BASE_DIR) / "docs" / "rules-changelog.md"


def rule_list(request):
    return render(request, "regelverk/list.html", {"rules": CATALOG, "versions": all_versions()})


def rule_detail(request, rule_id: str):
    try:
        rule = get_rule(rule_id)
    except UnknownRuleError as missing:
        raise Http404 from missing
    form = RuleForm(rule, request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = rule_evaluate(rule_id=rule.id, inputs=form.rule_inputs(), version=form.cleaned_data["version"])
        except RuleInputError as error:
            for field, message in error.errors.items():
                form.add_error(field if field in form.fields else None, message)
    context = {"rule": rule, "form": form, "result": result}
    template = "regelverk/_evaluation.html" if request.htmx else "regelverk/detail.html"
    return render(request, template, context)


def changelog(request):
    # The changelog is our own file in the repository, never user input, so its HTML is trusted.
    html = markdown.markdown(CHANGELOG.read_text(encoding="utf-8"))
    return render(request, "regelverk/changelog.html", {"changelog": mark_safe(html)})
