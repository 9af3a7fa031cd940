"""What every request passes through on its way in and out: a guard against control characters in the input, and
JSON problem details for every error under /api/.

This module sits above every app (it speaks for the API and the pages alike), so nothing imports it but settings.
"""

import json
import logging
import re
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from brobygger.api.errors import problem

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
# NUL and the other C0 controls, and DEL; tab, line feed and carriage return are ordinary text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _strings(value: object) -> Iterable[str]:
    """Every string in a decoded JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _submitted_text(request: HttpRequest) -> Iterable[str]:
    for values in (request.GET, request.POST if request.method == "POST" else {}):
        for key in values:
            yield key
            yield from values.getlist(key)
    if request.content_type == "application/json" and request.body:
        try:
            yield from _strings(json.loads(request.body))
        except ValueError:
            return  # not JSON at all: the API answers that with its own 422


class InputGuardMiddleware:
    """Refuse control characters in query strings, form fields and JSON bodies with 400 before any view runs.

    No name, note or search has a reason to contain them, and PostgreSQL cannot store a NUL: one place refuses them,
    rather than every view and form remembering to.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any(CONTROL_CHARACTERS.search(text) for text in _submitted_text(request)):
            message = _(
                "Teksten inneholder kontrolltegn (for eksempel NUL) som ikke er tillatt. Fjern dem og prøv igjen."
            )
            if _is_api(request):
                return problem(400, detail=message)
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)


class ApiProblemMiddleware:
    """Under /api/, every error is problem details in JSON, also those that never reach the API's own handlers: an
    unknown path (404), a method the endpoint does not take (405) and an unexpected exception (500)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if _is_api(request) and response.status_code >= 400 and "json" not in response.get("Content-Type", ""):
            converted = problem(response.status_code)
            if response.has_header("Allow"):
                converted["Allow"] = response["Allow"]
            return converted
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not _is_api(request):
            return None
        logger.error("Unhandled error in %s %s", request.method, request.path, exc_info=exception)
        return problem(500)
