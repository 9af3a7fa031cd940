"""Two-factor login and OIDC in a real browser: enrol TOTP, log out, log in with password and code; and log in
through a real local OpenID Connect provider (oidc-provider-mock). Our pages pass axe, CSP and reflow checks."""

from base64 import b32decode

import pytest
from django_otp.oath import totp
from oidc_provider_mock import User as ProviderUser
from oidc_provider_mock import run_server_in_thread

from brobygger.accounts import demo

pytestmark = pytest.mark.browser


def totp_code(secret: str, steps_ahead: int = 0) -> str:
    """What the authenticator app shows for the key on the enrolment page (RFC 6238: 30 s, 6 digits)."""
    return f"{totp(b32decode(secret), drift=steps_ahead):06d}"


def log_out(browsing) -> None:
    with browsing.page.expect_navigation():
        browsing.page.locator(".site-header").get_by_role("button", name="Logg ut").click()
    assert browsing.path() == "/logg-inn/"


def test_a_job_specialist_enrols_totp_logs_out_and_logs_in_with_password_and_code(seeded, browsing, settings):
    settings.DEMO_MODE = False
    page = browsing.page
    browsing.goto("/")
    browsing.log_in("jobbspesialist", demo.DEMO_PASSWORD)
    assert browsing.path() == "/logg-inn/totrinn/oppsett/?next=%2F"
    assert page.locator("h1").inner_text() == "Sett opp totrinnsbekreftelse"
    browsing.check()
    # Nothing else is reachable before enrolment.
    browsing.goto("/saksoversikt/")
    assert browsing.path().startswith("/logg-inn/totrinn/oppsett/")

    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Kode fra appen").fill(totp_code(secret))
    with page.expect_navigation():
        page.get_by_role("button", name="Bekreft").click()
    codes = page.get_by_test_id("recovery-codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    browsing.check()
    with page.expect_navigation():
        page.get_by_role("link", name="Jeg har tatt vare på kodene – fortsett").click()
    # On to the page that was asked for before enrolment.
    assert browsing.path() == "/saksoversikt/"
    browsing.check()

    log_out(browsing)
    browsing.log_in("jobbspesialist", demo.DEMO_PASSWORD)
    assert browsing.path() == "/logg-inn/totrinn/?next=%2F"
    browsing.check()
    # The code from enrolment is spent; the app's next code is accepted.
    page.get_by_label("Kode").fill(totp_code(secret, steps_ahead=1))
    with page.expect_navigation():
        page.get_by_role("button", name="Bekreft").click()
    assert browsing.path() == "/"
    assert page.locator("h1").inner_text() == "Jobbspesialist"


@pytest.fixture
def provider(settings):
    users = [ProviderUser(sub="sub-leder", claims={"preferred_username": "ips-leder", "amr": ["pwd", "mfa"]})]
    with run_server_in_thread(user_claims=users) as server:
        settings.OIDC_RP_CLIENT_ID = "brobygger"
        settings.OIDC_RP_CLIENT_SECRET = "hemmelig-testnøkkel"
        settings.OIDC_ISSUER = f"http://localhost:{server.server_port}"
        settings.OIDC_MFA_AMR_VALUES = ["mfa"]
        yield settings.OIDC_ISSUER


def test_an_ips_leader_logs_in_through_the_oidc_provider(seeded, browsing, provider, settings):
    settings.DEMO_MODE = False
    page = browsing.page
    browsing.goto("/")
    browsing.check()
    with page.expect_navigation():
        page.get_by_role("link", name="Logg inn med HelseID eller Entra ID").click()
    # The provider's own authorization page (not ours, so not held to our checks): choose the user.
    assert page.url.startswith(provider)
    with page.expect_navigation(url=f"{browsing.base_url}/**"):
        page.get_by_role("button", name="Authorize as sub-leder").click()
    page.wait_for_load_state("load")
    # The provider asserted MFA, so no TOTP step: straight to the page asked for.
    assert browsing.path() == "/"
    assert page.locator("h1").inner_text() == "IPS-leder"
    browsing.check()
