"""private_key_jwt (RFC 7523) at the token endpoint, as HelseID requires, against a real provider on 127.0.0.1.

oidc-provider-mock authenticates clients by secret only, so its token endpoint is reached through a small HTTP token
endpoint of the test's own, in front of it, that does what HelseID does with the request: it refuses any request
with a client secret or without an assertion, verifies the assertion's signature with the client's registered
public key (joserfc, not the PyJWT that signed it), checks iss = sub = client id, aud = its own URL, a lifetime of
at most 60 seconds and a jti never seen before, and only then hands the code to the provider, which issues the
signed ID token our callback verifies. The whole authorization-code flow runs as in test_oidc.py.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.checks import run_checks
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey
from oidc_provider_mock import User as ProviderUser
from oidc_provider_mock import run_server_in_thread

from brobygger.accounts import client_assertion

CLIENT_ID = "brobygger-helseid"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
PROVIDER_USERS = [
    ProviderUser(sub="sub-jobbspesialist", claims={"preferred_username": "jobbspesialist", "amr": ["pwd", "mfa"]}),
]


class TokenEndpoint:
    """A token endpoint that takes only private_key_jwt, verifies it, and passes the code on to the provider."""

    def __init__(self, provider: str, public_key: RSAKey):
        self.provider, self.public_key = provider, public_key
        self.requests: list[dict[str, str]] = []
        self.seen_jti: set[str] = set()
        self.refusals: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}/token"

    def _handler(self):
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                form = {name: values[0] for name, values in parse_qs(body).items()}
                endpoint.requests.append(form)
                problem = endpoint.problem(form, self.headers.get("Authorization"))
                if problem:
                    endpoint.refusals.append(problem)
                    status, answer = 401, json.dumps({"error": "invalid_client", "error_description": problem})
                else:
                    passed = {k: v for k, v in form.items() if not k.startswith("client_assertion")}
                    upstream = requests.post(f"{endpoint.provider}/oauth2/token", data=passed, timeout=10)
                    status, answer = upstream.status_code, upstream.text
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(answer.encode())

            def log_message(self, *args):
                pass

        return Handler

    def problem(self, form: dict[str, str], authorization: str | None) -> str:
        if "client_secret" in form or authorization:
            return "a client secret was sent"
        if form.get("client_assertion_type") != ASSERTION_TYPE or "client_assertion" not in form:
            return "no client assertion"
        try:
            token = jwt.decode(form["client_assertion"], self.public_key, algorithms=["RS256"])
        except JoseError as error:
            return f"bad signature: {error}"
        claims = token.claims
        registry = jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": CLIENT_ID},
            sub={"essential": True, "value": CLIENT_ID},
            aud={"essential": True, "value": self.url},
            exp={"essential": True},
            iat={"essential": True},
            jti={"essential": True},
        )
        try:
            registry.validate(claims)
        except JoseError as error:
            return f"bad claims: {error}"
        if claims["exp"] - claims["iat"] > 60:
            return "lives longer than 60 seconds"
        if token.header.get("kid") != self.public_key.kid:
            return "unknown kid"
        if claims["jti"] in self.seen_jti:
            return "jti replayed"
        self.seen_jti.add(claims["jti"])
        if form.get("client_id", CLIENT_ID) != CLIENT_ID:
            return "client_id differs from the assertion's"
        return ""

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def provider():
    with run_server_in_thread(user_claims=PROVIDER_USERS) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def client_key():
    return RSAKey.generate_key(2048, parameters={"kid": "brobygger-test-1", "alg": "RS256"})


@pytest.fixture
def key_file(tmp_path, client_key):
    path = tmp_path / "helseid-jwk.json"
    path.write_text(json.dumps(client_key.as_dict(private=True)), encoding="utf-8")
    client_assertion._load.cache_clear()
    yield path
    client_assertion._load.cache_clear()


@pytest.fixture
def token_endpoint(provider, client_key):
    public = RSAKey.import_key(client_key.as_dict(private=False))
    with TokenEndpoint(provider, public) as endpoint:
        yield endpoint


@pytest.fixture
def helseid(settings, provider, key_file, token_endpoint):
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = ""
    settings.OIDC_RP_CLIENT_AUTH = "private_key_jwt"
    settings.OIDC_RP_PRIVATE_KEY_FILE = str(key_file)
    settings.OIDC_TOKEN_USE_BASIC_AUTH = False
    settings.OIDC_ISSUER = provider
    settings.OIDC_OP_TOKEN_ENDPOINT = token_endpoint.url
    settings.OIDC_MFA_AMR_VALUES = ["mfa"]
    return token_endpoint


def oidc_login(client, subject: str):
    start = client.get("/logg-inn/oidc/authenticate/?next=/tilbud/")
    assert start.status_code == 302
    chosen = requests.post(start["Location"], data={"sub": subject}, allow_redirects=False, timeout=10)
    assert chosen.status_code == 302
    callback = urlsplit(chosen.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")


def test_the_login_authenticates_with_a_signed_client_assertion_and_no_secret(personas, client, helseid):
    response = oidc_login(client, "sub-jobbspesialist")
    assert helseid.refusals == []
    assert response.status_code == 302 and response["Location"] == "/tilbud/"
    assert int(client.session["_auth_user_id"]) == personas["jobbspesialist"].pk
    [form] = helseid.requests
    assert form["grant_type"] == "authorization_code" and "code_verifier" in form
    assert "client_secret" not in form


def test_each_login_sends_a_new_assertion(personas, client, helseid):
    oidc_login(client, "sub-jobbspesialist")
    client.logout()
    oidc_login(client, "sub-jobbspesialist")
    assert helseid.refusals == [] and len(helseid.seen_jti) == 2


def test_an_assertion_signed_with_another_key_is_refused_and_nobody_is_logged_in(
    personas, client, helseid, tmp_path, settings
):
    stranger = tmp_path / "other.json"
    stranger.write_text(
        json.dumps(RSAKey.generate_key(2048, parameters={"kid": "brobygger-test-1"}).as_dict(private=True))
    )
    settings.OIDC_RP_PRIVATE_KEY_FILE = str(stranger)
    response = oidc_login(client, "sub-jobbspesialist")
    assert response["Location"] == "/logg-inn/?oidc=feilet"
    assert "_auth_user_id" not in client.session
    assert [problem.split(":")[0] for problem in helseid.refusals] == ["bad signature"]


def test_the_configured_audience_is_used_for_a_provider_that_names_its_issuer(personas, client, helseid, settings):
    settings.OIDC_RP_CLIENT_ASSERTION_AUDIENCE = "https://helseid-sts.test.nhn.no"
    response = oidc_login(client, "sub-jobbspesialist")
    # This endpoint wants its own URL, as RFC 7523 says by default: the other audience is refused.
    assert response["Location"] == "/logg-inn/?oidc=feilet"
    [claims] = [jwt.decode(f["client_assertion"], helseid.public_key).claims for f in helseid.requests]
    assert claims["aud"] == "https://helseid-sts.test.nhn.no"


def test_a_pem_key_signs_too(personas, client, helseid, settings, tmp_path, client_key):
    from cryptography.hazmat.primitives import serialization

    pem = tmp_path / "key.pem"
    pem.write_bytes(
        client_key.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    settings.OIDC_RP_PRIVATE_KEY_FILE = str(pem)
    oidc_login(client, "sub-jobbspesialist")
    # A PEM file has no kid: this endpoint, like HelseID, finds the key by kid and refuses.
    assert helseid.refusals == ["unknown kid"]


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"OIDC_RP_CLIENT_AUTH": "tls_client_auth"}, "accounts.E001"),
        ({"OIDC_RP_PRIVATE_KEY_FILE": ""}, "accounts.E002"),
        ({"OIDC_RP_PRIVATE_KEY_FILE": "/finnes/ikke.json"}, "accounts.E003"),
    ],
)
def test_a_configuration_that_cannot_work_stops_the_start(settings, key_file, overrides, code):
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_AUTH = "private_key_jwt"
    settings.OIDC_RP_PRIVATE_KEY_FILE = str(key_file)
    assert not [e for e in run_checks() if e.id.startswith("accounts.")]
    for name, value in overrides.items():
        setattr(settings, name, value)
    client_assertion._load.cache_clear()
    assert [e.id for e in run_checks() if e.id.startswith("accounts.")] == [code]


def test_a_public_key_alone_is_refused_at_the_start(settings, tmp_path, client_key):
    public = tmp_path / "public.json"
    public.write_text(json.dumps(client_key.as_dict(private=False)))
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_AUTH = "private_key_jwt"
    settings.OIDC_RP_PRIVATE_KEY_FILE = str(public)
    client_assertion._load.cache_clear()
    assert [e.id for e in run_checks() if e.id.startswith("accounts.")] == ["accounts.E003"]


def test_the_assertion_carries_the_jwks_kid_and_thumbprint_and_nothing_of_a_secret(settings, tmp_path, client_key):
    jwk = client_key.as_dict(private=True) | {"x5t": "dGh1bWJwcmludA"}
    path = tmp_path / "entra.json"
    path.write_text(json.dumps(jwk))
    settings.OIDC_RP_PRIVATE_KEY_FILE = str(path)
    settings.OIDC_RP_CLIENT_ASSERTION_ALGO = ""
    settings.OIDC_RP_CLIENT_ASSERTION_AUDIENCE = ""
    client_assertion._load.cache_clear()
    form = client_assertion.token_request_authenticated(
        {"client_id": CLIENT_ID, "client_secret": "x", "code": "c"}, token_endpoint="https://op.example/token"
    )
    assert set(form) == {"client_id", "code", "client_assertion_type", "client_assertion"}
    token = jwt.decode(form["client_assertion"], RSAKey.import_key(client_key.as_dict(private=False)))
    assert token.header == {"alg": "RS256", "typ": "JWT", "kid": "brobygger-test-1", "x5t": "dGh1bWJwcmludA"}
    assert token.claims["aud"] == "https://op.example/token"
    client_assertion._load.cache_clear()
