"""Sessions end when idle and after their absolute lifetime; passwords change; lockout and rate limits hold."""

import time

import pytest
from django.test import Client, RequestFactory

from brobygger.accounts.client_ip import client_ip
from brobygger.accounts.demo import DEMO_PASSWORD
from brobygger.accounts.middleware import LAST_SEEN, LOGIN_STARTED
from brobygger.audit.models import AuditEvent

# Seconds either side of a limit: a first request on a busy machine can take several seconds.
MARGIN = 60


def _age_session(client, *, idle: int = 0, since_login: int = 0) -> None:
    session = client.session
    now = int(time.time())
    session[LAST_SEEN] = now - idle
    session[LOGIN_STARTED] = now - since_login
    session.save()


@pytest.mark.parametrize(("idle", "logged_out"), [(30 * 60 - MARGIN, False), (30 * 60 + MARGIN, True)])
def test_a_session_idle_for_30_minutes_is_logged_out(personas, login, idle, logged_out):
    client = login(personas["analytiker"])
    _age_session(client, idle=idle)
    response = client.get("/tilbud/")
    assert (response.status_code == 302) is logged_out
    if logged_out:
        assert response["Location"].startswith("/logg-inn/")


def test_the_idle_timeout_comes_from_the_settings(personas, login, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    client = login(personas["analytiker"])
    _age_session(client, idle=6 * 60)
    assert client.get("/tilbud/").status_code == 302


@pytest.mark.parametrize(("since_login", "logged_out"), [(8 * 3600 - MARGIN, False), (8 * 3600 + MARGIN, True)])
def test_an_active_session_still_ends_8_hours_after_login(personas, login, since_login, logged_out):
    client = login(personas["analytiker"])
    _age_session(client, idle=0, since_login=since_login)
    assert (client.get("/tilbud/").status_code == 302) is logged_out


def test_each_request_keeps_the_session_alive(personas, login):
    client = login(personas["analytiker"])
    _age_session(client, idle=29 * 60)
    assert client.get("/tilbud/").status_code == 200
    assert int(time.time()) - client.session[LAST_SEEN] < 5


def test_a_user_changes_their_own_password_and_the_change_is_audited(personas, login):
    client = login(personas["analytiker"])
    page = client.get("/passord/")
    assert "Endre passord" in page.content.decode()
    new_password = "nytt-langt-passord-2026"
    response = client.post(
        "/passord/",
        {"old_password": DEMO_PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    personas["analytiker"].refresh_from_db()
    assert personas["analytiker"].check_password(new_password)
    # Still logged in: Django keeps the session that changed the password.
    assert client.get("/tilbud/").status_code == 200
    event = AuditEvent.objects.get(object_type="accounts.user", action="update", actor=personas["analytiker"])
    assert event.after == {"password_changed": True}


def test_a_wrong_old_password_or_a_short_new_one_gets_norwegian_errors(personas, login):
    client = login(personas["analytiker"])
    response = client.post("/passord/", {"old_password": "feil", "new_password1": "kort", "new_password2": "kort"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ditt gamle passord er galt" in html
    short = client.post("/passord/", {"old_password": DEMO_PASSWORD, "new_password1": "kort", "new_password2": "kort"})
    assert "Passordet er for kort" in short.content.decode()
    personas["analytiker"].refresh_from_db()
    assert personas["analytiker"].check_password(DEMO_PASSWORD)


def test_the_password_page_needs_a_login():
    assert Client().get("/passord/")["Location"].startswith("/logg-inn/")


def _attempt(client, username, password, address):
    return client.post("/logg-inn/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_one_user_is_locked_out_after_five_failures_from_different_addresses(personas, client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for attempt in range(4):
        assert _attempt(client, "analytiker", "feil", f"10.0.1.{attempt}").status_code == 200
    assert _attempt(client, "analytiker", "feil", "10.0.1.9").status_code == 429
    assert _attempt(client, "analytiker", DEMO_PASSWORD, "10.0.2.1").status_code == 429
    # Another user is not locked by it.
    assert _attempt(client, "tilskuddsforvalter", DEMO_PASSWORD, "10.0.2.1").status_code == 302


def test_one_address_is_locked_out_after_five_failures_over_different_users(personas, client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for username in ["analytiker", "behandler", "ips-leder", "sysadmin"]:
        assert _attempt(client, username, "feil", "10.0.3.3").status_code == 200
    assert _attempt(client, "jobbspesialist", "feil", "10.0.3.3").status_code == 429
    assert _attempt(client, "kvalitetsevaluator", DEMO_PASSWORD, "10.0.3.3").status_code == 429
    # The same user from another address still gets in.
    assert _attempt(client, "kvalitetsevaluator", DEMO_PASSWORD, "10.0.3.4").status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.1", "10.0.0.1"),
        (1, "203.0.113.7", "10.0.0.1", "203.0.113.7"),
        (1, "198.51.100.66, 203.0.113.7", "10.0.0.1", "203.0.113.7"),
        (2, "198.51.100.66, 203.0.113.7, 10.0.0.2", "10.0.0.1", "203.0.113.7"),
        (2, "203.0.113.7", "10.0.0.1", "10.0.0.1"),
        (1, "ikke-en-adresse", "10.0.0.1", "10.0.0.1"),
    ],
)
def test_the_client_address_is_the_one_the_outermost_trusted_proxy_saw(settings, proxies, forwarded, remote, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == expected


def test_behind_a_proxy_lockout_counts_the_client_not_the_proxy(personas, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXY_COUNT = 1
    for username in ["analytiker", "behandler", "ips-leder"]:
        client.post(
            "/logg-inn/",
            {"username": username, "password": "feil"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    other_client = client.post(
        "/logg-inn/",
        {"username": "kvalitetsevaluator", "password": DEMO_PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.8",
    )
    assert other_client.status_code == 302


@pytest.mark.parametrize(("attempts", "limited"), [(3, False), (4, True)])
def test_the_login_form_is_rate_limited_per_address(personas, client, settings, attempts, limited):
    settings.LOGIN_RATE_LIMIT = "3/m"
    settings.AXES_FAILURE_LIMIT = 100
    responses = [_attempt(client, f"ukjent-{n}", "feil", "10.0.4.4") for n in range(attempts)]
    assert (responses[-1].status_code == 429) is limited
    if limited:
        assert "For mange forsøk" in responses[-1].content.decode()
    assert _attempt(client, "analytiker", DEMO_PASSWORD, "10.0.4.5").status_code == 302


@pytest.mark.parametrize(("calls", "limited"), [(3, False), (4, True)])
def test_the_api_is_rate_limited_with_a_norwegian_json_429(personas, login, settings, calls, limited):
    settings.API_RATE_LIMIT = "3/m"
    client = login(personas["analytiker"])
    responses = [client.get("/api/v1/rules/") for _ in range(calls)]
    last = responses[-1]
    assert (last.status_code == 429) is limited
    if limited:
        assert last["Content-Type"] == "application/json; charset=utf-8"
        assert last.json() == {"detail": "For mange forespørsler. Vent litt og prøv igjen."}
        assert int(last["Retry-After"]) > 0
