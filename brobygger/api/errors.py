"""Every API error as JSON problem details (RFC 9457), in plain bokmål, with one entry per field in error.

A problem has ``type`` ("about:blank": the status says what kind), ``title`` (the status in bokmål), ``status``,
``detail`` (what went wrong, for a person) and, for bad input, ``errors``: ``field``, ``message`` and ``type``.
"""

from typing import Any

from django.http import JsonResponse

TITLES = {
    400: "Ugyldig forespørsel",
    401: "Ikke innlogget",
    403: "Ingen tilgang",
    404: "Finnes ikke",
    405: "Metoden er ikke tillatt",
    409: "Konflikt",
    413: "For stor forespørsel",
    415: "Ukjent innholdstype",
    422: "Ugyldige data",
    429: "For mange forespørsler",
    500: "Intern feil",
}
DETAILS = {
    400: "Forespørselen kunne ikke leses.",
    401: "Du må logge inn for å bruke dette endepunktet.",
    403: "Du har ikke tilgang.",
    404: "Det du ba om, finnes ikke, eller du har ikke tilgang til det.",
    405: "Endepunktet tar ikke imot denne metoden.",
    409: "Noen andre har endret dette i mellomtiden. Hent det på nytt og prøv igjen.",
    422: "Ett eller flere felt har ugyldige verdier.",
    500: "Noe gikk galt hos oss. Feilen er logget; prøv igjen senere.",
}


def problem(status: int, detail: str = "", errors: list[dict[str, str]] | None = None) -> JsonResponse:
    """An ``application/problem+json`` response; without ``detail``, the usual sentence for the status."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Feil"),
        "status": status,
        "detail": detail or DETAILS.get(status, "Forespørselen kunne ikke behandles."),
    }
    if errors is not None:
        body["errors"] = errors
    return JsonResponse(
        body, status=status, content_type="application/problem+json", json_dumps_params={"ensure_ascii": False}
    )


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
