"""Form fields shared by every app's forms."""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from brobygger.rules import bounds

RELOAD = _("Skjemaet er ugyldig. Last siden på nytt.")
# The longest free text anyone writes in a box (notes, goals, plans, evidence): a few pages, never unbounded. Every
# TextField a person fills in and every free-text form field carries it, so a paste of a whole document is refused
# with a message instead of stored.
TEXT_MAX_LENGTH = 5000


class RevisionField(forms.IntegerField):
    """The revision the user saw, sent back with an edit so a save over someone else's newer changes is refused.

    ``required=False`` where the same form also creates (there is no revision yet).
    """

    def __init__(self, *, required: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"invalid": RELOAD, "min_value": RELOAD, "required": RELOAD})
        super().__init__(widget=forms.HiddenInput, min_value=1, required=required, **kwargs)


def validate_date_in_bounds(value: date) -> None:
    """Refuse a date outside the accepted range (rules/bounds.py): no rule or query can overflow on it."""
    if bounds.date_problem(value):
        raise ValidationError(
            _("Datoen må ligge mellom %(earliest)s og %(latest)s."),
            code="out_of_bounds",
            params={"earliest": f"{bounds.EARLIEST_DATE:%d.%m.%Y}", "latest": f"{bounds.LATEST_DATE:%d.%m.%Y}"},
        )


class DateField(forms.DateField):
    """Every date a form takes: within the accepted range, so a date in year 1 or 9999 gets a message, not a 500."""

    default_validators = [validate_date_in_bounds]
