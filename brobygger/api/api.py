"""Brobygger's JSON API, version 1: a thin layer over the same services and access checks as the pages.

The OpenAPI schema is served at /api/v1/openapi.json and documented at /api/v1/docs.
"""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csp import csp_override
from ninja import NinjaAPI
from ninja.errors import ValidationError

from brobygger.api.errors import norwegian_validation_errors
from brobygger.api.rules import router as rules_router
from brobygger.rules.base import RuleInputError


def _docs_csp(view):
    # Swagger UI sets inline styles; only the documentation page allows them.
    return csp_override(
        {"default-src": ["'self'"], "style-src": ["'self'", "'unsafe-inline'"], "img-src": ["'self'", "data:"]}
    )(view)


api = NinjaAPI(
    title="Brobygger API",
    version="1",
    description="Regelverk, forløp, kvalitet, tilskudd og statistikk for individuell jobbstøtte (IPS og IPS ung).",
    urls_namespace="api-v1",
    docs_decorator=_docs_csp,
)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": norwegian_validation_errors(exc.errors)}, status=422)


@api.exception_handler(RuleInputError)
def rule_input_error(request: HttpRequest, exc: RuleInputError) -> HttpResponse:
    detail = [{"field": field, "message": message, "type": "rule_input"} for field, message in exc.errors.items()]
    return api.create_response(request, {"detail": detail}, status=422)


api.add_router("/rules/", rules_router)
