"""OpenID Connect login (HelseID, Entra ID) with mozilla-django-oidc, configured entirely from the environment.

Endpoints come from the provider's discovery document unless set one by one (OIDC_OP_*_ENDPOINT). The user is the
existing account whose username equals the OIDC_USERNAME_CLAIM claim; nobody is created (no self-signup). A login
whose ID token asserts MFA (an ``amr`` in OIDC_MFA_AMR_VALUES or an ``acr`` in OIDC_MFA_ACR_VALUES) has passed the
second factor; otherwise the user owes a TOTP code like after a password. At the token endpoint Brobygger
authenticates with its client secret or, for HelseID, with a signed client assertion (OIDC_RP_CLIENT_AUTH =
private_key_jwt; brobygger/accounts/client_assertion.py).
"""

import logging
from functools import cache

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import Http404
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from brobygger.accounts import client_assertion, twofactor

logger = logging.getLogger(__name__)

# mozilla-django-oidc's setting name -> the discovery document's key (OpenID Connect Discovery 1.0, section 3).
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


def is_enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


def discovery_url() -> str:
    if settings.OIDC_DISCOVERY_URL:
        return settings.OIDC_DISCOVERY_URL
    return settings.OIDC_ISSUER.rstrip("/") + "/.well-known/openid-configuration"


@cache
def _discovery(url: str) -> dict:
    response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
    response.raise_for_status()
    return response.json()


def oidc_setting(attr: str, *default):
    """A setting as mozilla-django-oidc asks for it; the provider's endpoints from discovery unless set."""
    explicit = getattr(settings, attr, None)
    if attr in DISCOVERED and not explicit:
        return _discovery(discovery_url())[DISCOVERED[attr]]
    return import_from_settings(attr, *default)


def asserts_mfa(claims: dict) -> bool:
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    return bool(set(amr) & set(settings.OIDC_MFA_AMR_VALUES)) or claims.get("acr") in settings.OIDC_MFA_ACR_VALUES


class OidcBackend(OIDCAuthenticationBackend):
    """Matches the provider's user to an existing, active account by one claim."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # Django builds every backend for every login; the provider's settings are read only when OIDC is used.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if not is_enabled() or request is None or "code" not in request.GET:
            return None
        super().__init__()
        try:
            return super().authenticate(request, **kwargs)
        except requests.RequestException as error:
            # The provider refused the token request (a client assertion or secret it does not accept, a used code)
            # or could not be reached: the login fails with the login page's message, not a server error.
            status = getattr(error.response, "status_code", None)
            logger.warning("OIDC token request failed (status %s): %s", status, type(error).__name__)
            return None

    def get_token(self, payload):
        if client_assertion.uses_private_key_jwt():
            # The secret never leaves: the signed assertion replaces it (RFC 7523 section 2.2).
            payload = client_assertion.token_request_authenticated(payload, token_endpoint=self.OIDC_OP_TOKEN_ENDPOINT)
        return super().get_token(payload)

    def verify_claims(self, claims) -> bool:
        return bool(claims.get(settings.OIDC_USERNAME_CLAIM))

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(username=claims.get(settings.OIDC_USERNAME_CLAIM), is_active=True)

    def get_userinfo(self, access_token, id_token, payload):
        # The ID token's claims (acr, amr) with the userinfo endpoint's; the ID token is signed and verified.
        userinfo = super().get_userinfo(access_token, id_token, payload)
        return {**userinfo, **payload}

    def update_user(self, user, claims):
        # Remembered on the request for OidcCallbackView: the session's second factor is settled after login.
        self.request.oidc_mfa = asserts_mfa(claims)
        return user


class OidcLoginView(OIDCAuthenticationRequestView):
    get_settings = staticmethod(oidc_setting)

    def __init__(self, **kwargs):
        # Not the parent's, which reads the provider's endpoints (a network call) even when OIDC is off.
        View.__init__(self, **kwargs)

    def get(self, request):
        if not is_enabled():
            raise Http404
        self.OIDC_OP_AUTH_ENDPOINT = oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class OidcCallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(oidc_setting)

    def get(self, request):
        if not is_enabled():
            raise Http404
        return super().get(request)

    def login_success(self):
        response = super().login_success()
        # After auth.login, which cleared the marker on user_logged_in.
        if getattr(self.request, "oidc_mfa", False):
            twofactor.mark_passed(self.request, twofactor.Method.OIDC)
        return response
