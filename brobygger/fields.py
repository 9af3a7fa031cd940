"""Form fields shared by every app's forms."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

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
