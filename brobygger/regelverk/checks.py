"""Startup checks: the law's numbers must be dated, cited and without overlaps before Brobygger serves anyone."""

from datetime import date

from django.conf import settings
from django.core.checks import Error, register

from brobygger.rules.parameters import validate_parameters


@register()
def rule_parameters_are_valid(app_configs, **kwargs):
    return [
        Error(problem, hint="Rett parameterfilen under brobygger/rules/parameters/.", id="regelverk.E001")
        for problem in validate_parameters()
    ]


@register()
def proposal_date_is_a_date(app_configs, **kwargs):
    value = settings.IPS_PROPOSAL_IN_FORCE_FROM
    if value is None or isinstance(value, date):
        return []
    return [Error("IPS_PROPOSAL_IN_FORCE_FROM må være en dato eller ikke satt.", id="regelverk.E002")]
