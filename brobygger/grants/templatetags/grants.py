from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def kroner(value: Decimal | int | None) -> str:
    """Whole kroner with a space between thousands, as in the letters: 1 400 000 kr."""
    if value is None or value == "":
        return "–"
    return f"{int(value):,} kr".replace(",", " ")
