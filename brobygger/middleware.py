"""What every request passes through on its way in and out: a guard against control characters in the input, and
JSON problem details for every error under /api/.

This module sits above every app (it speaks for the API and the pages alike), so nothing imports it but settings.
"""

import json
import logging
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from brobygger.api.errors import problem
from brobygger.rules import bounds

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _has_control_characters(request: HttpRequest) -> bool:
    forms = [request.GET, request.POST] if request.method == "POST" else [request.GET]
    if any(bounds.has_control_characters(dict(values.lists())) for values in forms):
        return True
    if request.content_type == "application/json" and request.body:
        try:
            return bounds.has_control_characters(json.loads(request.body))
        except (ValueError, RecursionError):
            return False  # not JSON at all: the API answers that itself, in bokmål
    return False


class InputGuardMiddleware:
    """Refuse control characters in query strings, form fields and JSON bodies with 400 before any view runs.

    No name, note or search has a reason to contain them, and PostgreSQL cannot store a NUL: one place refuses them,
    rather than every view and form remembering to.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_control_characters(request):
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
        # A 404 or 403 raised outside the API's handlers (the API root raises Http404) is Django's to answer;
        # __call__ then turns its page into problem details.
        if not _is_api(request) or isinstance(exception, Http404 | PermissionDenied):
            return None
        logger.error("Unhandled error in %s %s", request.method, request.path, exc_info=exception)
        return problem(500)
