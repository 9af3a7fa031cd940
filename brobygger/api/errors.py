"""Pydantic's validation errors restated per field in plain bokmål, for 422 answers."""

from typing import Any

MESSAGES = {
    "missing": "Feltet må fylles ut.",
    "date_from_datetime_parsing": "Ugyldig dato. Bruk formatet ÅÅÅÅ-MM-DD og en dato som finnes.",
    "date_parsing": "Ugyldig dato. Bruk formatet ÅÅÅÅ-MM-DD og en dato som finnes.",
    "date_type": "Ugyldig dato. Bruk formatet ÅÅÅÅ-MM-DD.",
    "int_parsing": "Må være et heltall.",
    "int_type": "Må være et heltall.",
    "float_parsing": "Må være et tall.",
    "decimal_parsing": "Må være et tall.",
    "bool_parsing": "Må være true eller false.",
    "greater_than": "Må være større enn {gt}.",
    "greater_than_equal": "Må være minst {ge}.",
    "less_than": "Må være mindre enn {lt}.",
    "less_than_equal": "Kan ikke være mer enn {le}.",
    "literal_error": "Ukjent verdi. Gyldige verdier: {expected}.",
    "enum": "Ukjent verdi. Gyldige verdier: {expected}.",
    "string_too_long": "Kan ikke være lengre enn {max_length} tegn.",
    "string_too_short": "Må være minst {min_length} tegn.",
    "json_invalid": "Ugyldig JSON.",
}


def _field(location: tuple | list) -> str:
    # Ninja prefixes the location with the parameter source and name ("body", "payload"); the field is the rest.
    parts = [str(part) for part in location if part not in {"body", "query", "path", "payload", "form"}]
    return ".".join(parts) or "__all__"


def norwegian_validation_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    detail = []
    for error in errors:
        template = MESSAGES.get(error.get("type", ""), "Ugyldig verdi.")
        # Pydantic joins alternatives with an English "or".
        context = {key: str(value).replace(" or ", " eller ") for key, value in error.get("ctx", {}).items()}
        try:
            message = template.format(**context)
        except KeyError:
            message = template
        detail.append({"field": _field(error.get("loc", ())), "message": message, "type": error.get("type", "")})
    return detail
