"""OIDC login against a real OpenID Connect provider (oidc-provider-mock) on 127.0.0.1, not a mock of our code.

The provider runs in a thread for the module; each test walks the authorization-code flow as a browser would: our
login view redirects to the provider, the provider's authorization form is posted, and its redirect back with the
code reaches our callback, which fetches and verifies the tokens over HTTP.
"""

from urllib.parse import urlsplit

import pytest
import requests
from oidc_provider_mock import User as ProviderUser
from oidc_provider_mock import run_server_in_thread

from brobygger.accounts import twofactor

PROVIDER_USERS = [
    ProviderUser(sub="sub-jobbspesialist", claims={"preferred_username": "jobbspesialist", "amr": ["pwd", "mfa"]}),
    ProviderUser(sub="sub-ips-leder", claims={"preferred_username": "ips-leder", "amr": ["pwd"]}),
    ProviderUser(sub="sub-helseid", claims={"preferred_username": "behandler", "acr": "idporten-loa-high"}),
    ProviderUser(sub="sub-ukjent", claims={"preferred_username": "finnes-ikke"}),
]


@pytest.fixture(scope="module")
def provider():
    with run_server_in_thread(user_claims=PROVIDER_USERS) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def oidc(settings, provider):
    settings.OIDC_RP_CLIENT_ID = "brobygger"
    settings.OIDC_RP_CLIENT_SECRET = "hemmelig-testnøkkel"
    settings.OIDC_ISSUER = provider
    settings.OIDC_MFA_AMR_VALUES = ["mfa"]
    settings.OIDC_MFA_ACR_VALUES = ["idporten-loa-high"]
    return provider


def oidc_login(client, subject: str, next_path: str = "/"):
    """Start at our login, choose ``subject`` on the provider's form, and come back to our callback."""
    start = client.get(f"/logg-inn/oidc/authenticate/?next={next_path}")
    assert start.status_code == 302
    authorize_url = start["Location"]
    chosen = requests.post(authorize_url, data={"sub": subject}, allow_redirects=False, timeout=10)
    assert chosen.status_code == 302
    callback = urlsplit(chosen.headers["Location"])
    assert callback.path == "/logg-inn/oidc/callback/"
    return client.get(f"{callback.path}?{callback.query}")


def test_without_configuration_the_oidc_pages_do_not_exist(client, settings):
    settings.OIDC_RP_CLIENT_ID = ""
    assert client.get("/logg-inn/oidc/authenticate/").status_code == 404
    assert "HelseID" not in client.get("/logg-inn/").content.decode()


def test_the_login_page_offers_oidc_when_configured(client, oidc):
    assert "Logg inn med HelseID eller Entra ID" in client.get("/logg-inn/").content.decode()


def test_a_provider_that_asserts_mfa_logs_the_user_straight_in(personas, client, oidc):
    response = oidc_login(client, "sub-jobbspesialist", "/tilbud/")
    assert response.status_code == 302
    assert response["Location"] == "/tilbud/"
    assert client.session[twofactor.SESSION_KEY] == twofactor.Method.OIDC
    assert client.get("/tilbud/").status_code == 200
    assert int(client.session["_auth_user_id"]) == personas["jobbspesialist"].pk


def test_an_acr_that_counts_as_strong_logs_the_user_straight_in(personas, client, oidc):
    oidc_login(client, "sub-helseid")
    assert client.get("/tilbud/").status_code == 200


def test_a_provider_login_without_mfa_still_owes_the_totp_code(personas, client, oidc):
    oidc_login(client, "sub-ips-leder")
    assert int(client.session["_auth_user_id"]) == personas["ips-leder"].pk
    response = client.get("/tilbud/")
    assert response.status_code == 302
    assert response["Location"].startswith("/logg-inn/totrinn/oppsett/")


def test_an_unknown_user_is_not_created_and_gets_a_norwegian_message(personas, client, oidc, django_user_model):
    users_before = django_user_model.objects.count()
    response = oidc_login(client, "sub-ukjent")
    assert response["Location"] == "/logg-inn/?oidc=feilet"
    assert "_auth_user_id" not in client.session
    assert django_user_model.objects.count() == users_before
    assert "brukeren finnes ikke i Brobygger" in client.get(response["Location"]).content.decode()


def test_an_inactive_account_cannot_log_in_through_the_provider(personas, client, oidc):
    personas["jobbspesialist"].is_active = False
    personas["jobbspesialist"].save()
    response = oidc_login(client, "sub-jobbspesialist")
    assert response["Location"] == "/logg-inn/?oidc=feilet"


def test_a_callback_with_a_forged_state_is_refused(personas, client, oidc):
    client.get("/logg-inn/oidc/authenticate/")
    response = client.get("/logg-inn/oidc/callback/?code=forfalsket&state=forfalsket")
    assert response.status_code in {302, 400}
    assert "_auth_user_id" not in client.session
