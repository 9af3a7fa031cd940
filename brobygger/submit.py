"""How a page's form reaches a service. The form checks what a person can correct, the service decides; a refusal
from the service (or input the rules cannot judge) is shown on the form like any other error and nothing is saved."""

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.forms import Form

from brobygger.rules.base import RuleInputError


def add_service_errors(
    form: Form, error: ValidationError | RuleInputError, aliases: Mapping[str, str] | None = None
) -> None:
    """Put a refusal on the form: on the field it names (or the form field ``aliases`` maps that name to) if the
    form shows that field, otherwise above the form."""
    if isinstance(error, RuleInputError):
        errors: Mapping[str, Any] = error.errors
    elif hasattr(error, "error_dict"):
        errors = error.error_dict
    else:
        form.add_error(None, error)
        return
    for name, field_errors in errors.items():
        field = (aliases or {}).get(name, name)
        shown = field in form.fields and not form.fields[field].widget.is_hidden
        form.add_error(field if shown else None, field_errors)


def submit[T](form: Form, write: Callable[[dict[str, Any]], T], aliases: Mapping[str, str] | None = None) -> T | None:
    """Call ``write`` (a service) with the form's cleaned data if the form is valid, and return what it returns.
    None when the form or the service refused: the reasons are then on the form."""
    if not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except (ValidationError, RuleInputError) as error:
        add_service_errors(form, error, aliases)
        return None
