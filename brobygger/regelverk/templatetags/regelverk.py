"""``{{ reason|reason_text }}``: a rule's reason in the language of the page (see regelverk.services.reason_text)."""

from django import template

from brobygger.regelverk.services import reason_text as translate_reason

register = template.Library()


@register.filter
def reason_text(reason) -> str:
    return translate_reason(reason)
