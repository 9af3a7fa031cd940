"""Startup check: an OIDC client authentication that cannot work is found when Brobygger starts, not at a login."""

import jwt
from django.conf import settings
from django.core.checks import Error, register

from brobygger.accounts import client_assertion


@register()
def oidc_client_authentication_is_usable(app_configs, **kwargs):
    if not settings.OIDC_RP_CLIENT_ID:
        return []
    method = settings.OIDC_RP_CLIENT_AUTH
    if method not in client_assertion.METHODS:
        allowed = ", ".join(sorted(client_assertion.METHODS))
        return [Error(f"OIDC_RP_CLIENT_AUTH={method!r} er ukjent; bruk en av {allowed}.", id="accounts.E001")]
    if method != "private_key_jwt":
        return []
    if not settings.OIDC_RP_PRIVATE_KEY_FILE:
        return [Error("OIDC_RP_CLIENT_AUTH=private_key_jwt krever OIDC_RP_PRIVATE_KEY_FILE.", id="accounts.E002")]
    try:
        client_assertion.signing_key()
    except (OSError, ValueError, TypeError, jwt.PyJWTError) as problem:
        return [
            Error(
                f"Den private nøkkelen i OIDC_RP_PRIVATE_KEY_FILE kan ikke brukes: {type(problem).__name__}.",
                hint="En JWK med privat del (d) eller en PEM-fil uten passord.",
                id="accounts.E003",
            )
        ]
    return []
