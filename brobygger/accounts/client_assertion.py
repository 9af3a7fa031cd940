"""private_key_jwt: Brobygger proves who it is at the OIDC token endpoint with a JWT signed by its private key.

RFC 7523 section 2.2 and OpenID Connect Core section 9. HelseID accepts no client secret, only this; Entra ID
accepts it too (with a certificate's key). The key is read from OIDC_RP_PRIVATE_KEY_FILE: a JWK (JSON, as HelseID's
self-service hands it out; its ``kid``, and an ``x5t`` for Entra ID, go in the header so the provider finds the
public half) or a PEM file.
The assertion lives 60 seconds (HelseID's upper limit) and carries a fresh ``jti``, so a captured one cannot be
replayed at a provider that remembers them.
"""

import json
import time
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from django.conf import settings

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
LIFETIME_SECONDS = 60
METHODS = frozenset({"client_secret_post", "client_secret_basic", "private_key_jwt"})
DEFAULT_ALGORITHM = "RS256"


# Header parameters copied from the JWK: HelseID finds the public key by kid, Entra ID by the certificate's thumbprint.
HEADER_PARAMETERS = ("kid", "x5t", "x5t#S256")


@dataclass(frozen=True)
class SigningKey:
    key: Any
    algorithm: str
    headers: dict[str, str]


def uses_private_key_jwt() -> bool:
    return settings.OIDC_RP_CLIENT_AUTH == "private_key_jwt"


@cache
def _load(path: str, algorithm: str) -> SigningKey:
    text = Path(path).read_text(encoding="utf-8")
    if text.lstrip().startswith("{"):
        data = json.loads(text)
        if "d" not in data:
            raise ValueError("the JWK has no private part")
        chosen = algorithm or data.get("alg") or DEFAULT_ALGORITHM
        headers = {name: data[name] for name in HEADER_PARAMETERS if data.get(name)}
        return SigningKey(key=jwt.PyJWK(data, algorithm=chosen).key, algorithm=chosen, headers=headers)
    key = load_pem_private_key(text.encode(), password=None)
    return SigningKey(key=key, algorithm=algorithm or DEFAULT_ALGORITHM, headers={})


def signing_key() -> SigningKey:
    """The configured private key; raises (OSError, ValueError) if it cannot be read. The file is read once."""
    return _load(settings.OIDC_RP_PRIVATE_KEY_FILE, settings.OIDC_RP_CLIENT_ASSERTION_ALGO)


def client_assertion(*, client_id: str, token_endpoint: str, now: float | None = None) -> str:
    """A signed, single-use client assertion: iss and sub the client id, aud the token endpoint (or the configured
    audience), a short exp and a random jti."""
    key = signing_key()
    issued = int(now if now is not None else time.time())
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": settings.OIDC_RP_CLIENT_ASSERTION_AUDIENCE or token_endpoint,
        "jti": uuid.uuid4().hex,
        "iat": issued,
        "nbf": issued,
        "exp": issued + LIFETIME_SECONDS,
    }
    headers = {"typ": "JWT", **key.headers}
    return jwt.encode(claims, key.key, algorithm=key.algorithm, headers=headers)


def token_request_authenticated(payload: dict[str, str], *, token_endpoint: str) -> dict[str, str]:
    """The token request's form with the client secret replaced by a client assertion."""
    form = {name: value for name, value in payload.items() if name != "client_secret"}
    form["client_assertion_type"] = ASSERTION_TYPE
    form["client_assertion"] = client_assertion(client_id=payload["client_id"], token_endpoint=token_endpoint)
    return form
