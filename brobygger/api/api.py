"""Brobygger's JSON API, version 1: a thin layer over the same services and access checks as the pages.

The OpenAPI schema is served at /api/v1/openapi.json and documented at /api/v1/docs.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from ninja import NinjaAPI
from ninja.errors import HttpError, Throttled, ValidationError
from ninja.throttling import UserRateThrottle

from brobygger.accounts.client_ip import client_ip
from brobygger.api.errors import norwegian_validation_errors, problem
from brobygger.api.fidelity import router as fidelity_router
from brobygger.api.grant_figures import router as grant_figures_router
from brobygger.api.grant_payments import router as grant_payments_router
from brobygger.api.grant_reports import router as grant_reports_router
from brobygger.api.grants import router as grants_router
from brobygger.api.participants import router as participants_router
from brobygger.api.rules import router as rules_router
from brobygger.api.statistics import router as statistics_router
from brobygger.rules.base import RuleInputError

CONFLICT_CODES = frozenset({"stale", "duplicate"})


def _docs_csp(view):
    # Swagger UI sets inline styles; only the documentation page allows them.
    return csp_override(
        {"default-src": ["'self'"], "style-src": ["'self'", "'unsafe-inline'"], "img-src": ["'self'", "data:"]}
    )(view)


class ApiRateThrottle(UserRateThrottle):
    """API_RATE_LIMIT per signed-in user, or per client address (behind the trusted proxies) for anonymous calls."""

    def __init__(self):
        super().__init__(settings.API_RATE_LIMIT)

    def allow_request(self, request: HttpRequest) -> bool:
        # Read per request, so the setting can change without rebuilding the API.
        self.rate = settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_ident(self, request: HttpRequest) -> str:
        return client_ip(request)


api = NinjaAPI(
    title="Brobygger API",
    version="1",
    description="Regelverk, forløp, kvalitet, tilskudd og statistikk for individuell jobbstøtte (IPS og IPS ung).",
    urls_namespace="api-v1",
    docs_decorator=_docs_csp,
    throttle=[ApiRateThrottle()],
)


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = api.create_response(
        request, {"detail": _("For mange forespørsler. Vent litt og prøv igjen.")}, status=429
    )
    if exc.wait:
        response["Retry-After"] = str(int(exc.wait) + 1)
    return response


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return problem(422, errors=norwegian_validation_errors(exc.errors))


@api.exception_handler(RuleInputError)
def rule_input_error(request: HttpRequest, exc: RuleInputError) -> HttpResponse:
    errors = [{"field": field, "message": message, "type": "rule_input"} for field, message in exc.errors.items()]
    return problem(422, errors=errors)


@api.exception_handler(DjangoValidationError)
def service_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A service refused the input (or a stale edit): the same bokmål messages the pages show, per field."""
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field, "message": message, "type": "invalid"}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": "__all__", "message": message, "type": "invalid"} for message in exc.messages]
    # Someone else saved first, or the same thing exists already (a pending referral to the service): 409 tells a
    # program the state of the data is in the way, as the page tells a person.
    conflict = any(error.code in CONFLICT_CODES for error in _errors(exc))
    return problem(409 if conflict else 422, detail=" ".join(exc.messages) if conflict else "", errors=errors)


def _errors(exc: DjangoValidationError) -> list[DjangoValidationError]:
    if hasattr(exc, "error_dict"):
        return [error for errors in exc.error_dict.values() for error in errors]
    return exc.error_list


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem(403, detail=str(exc))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # Out of scope and missing look the same, so the answer tells nobody what exists.
    return problem(404)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja's own refusals, such as 401 without a session: the status, in bokmål."""
    return problem(exc.status_code)


api.add_router("/rules/", rules_router)
api.add_router("/", participants_router)
api.add_router("/fidelity/", fidelity_router)
api.add_router("/statistics/", statistics_router)
api.add_router("/grants/", grants_router)
api.add_router("/grants/", grant_reports_router)
api.add_router("/grants/figures/", grant_figures_router)
api.add_router("/grants/", grant_payments_router)
