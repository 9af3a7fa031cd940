"""Form widgets shared by the project's forms, so a date, a text area or a list of choices looks the same on every
page. Designsystemet's markup for inputs, selects and text areas comes from the overrides in
templates/django/forms/widgets/; radio buttons and check boxes need their own template (below)."""

from django import forms

# Radio buttons and check boxes as Designsystemet fields: one ds-field per option, the input before its label.
CHOICES_TEMPLATE = "forms/choices.html"


class DateInput(forms.DateInput):
    """The browser's date picker; the value in ISO form, the only one it accepts."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class Textarea(forms.Textarea):
    """Three rows unless told otherwise: room for a few sentences without pushing the form off the screen."""

    def __init__(self, attrs=None):
        super().__init__({"rows": 3, **(attrs or {})})


class RadioSelect(forms.RadioSelect):
    template_name = CHOICES_TEMPLATE


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    template_name = CHOICES_TEMPLATE
