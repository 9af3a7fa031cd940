"""Forms generated from the rules catalogue: each input field of a rule becomes a form field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from brobygger.rules.catalog import InputField, RuleSpec, describe_inputs
from brobygger.rules.versions import all_versions


def _form_field(spec: InputField) -> forms.Field:
    common = {"label": spec.label, "help_text": spec.help, "required": spec.required and spec.kind != "bool"}
    if spec.kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
    if spec.kind == "bool":
        return forms.BooleanField(initial=bool(spec.default), **common)
    if spec.kind == "int":
        return forms.IntegerField(initial=spec.default, **common)
    if spec.kind == "decimal":
        return forms.DecimalField(initial=spec.default, **common)
    if spec.kind == "choice":
        choices = [(value, value.replace("_", " ")) for value in spec.choices]
        if not spec.required:
            choices = [("", "–"), *choices]
        return forms.ChoiceField(choices=choices, initial=spec.default, **common)
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), initial=spec.default, **common)


class RuleForm(forms.Form):
    """The inputs of one rule, plus the version to evaluate it under ("what if")."""

    version = forms.ChoiceField(
        label=_("Versjon av regelverket"),
        required=False,
        help_text=_("Tomt betyr versjonen som gjelder på vurderingsdatoen."),
    )

    def __init__(self, rule: RuleSpec, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule = rule
        for spec in describe_inputs(rule.id):
            self.fields[spec.name] = _form_field(spec)
        self.fields["version"].choices = [("", _("Gjeldende på datoen"))] + [
            (version.id, version.label) for version in all_versions() if version.id in rule.versions
        ]
        self.order_fields([*[f.name for f in describe_inputs(rule.id)], "version"])

    def rule_inputs(self) -> dict[str, object]:
        """The cleaned values, as the rules catalogue takes them (empty optional fields left out)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version" and value is not None}
