"""The language of the pages and the user's own settings: bokmål by default, English when chosen, remembered."""

import pytest
from django.test import Client

from brobygger.accounts.testing import LoggedInClient
from brobygger.audit.models import AuditEvent


def lang_of(response) -> str:
    return response.content.decode().split('<html lang="')[1].split('"')[0]


def test_the_pages_are_in_bokmal_whatever_the_browser_asks_for(personas, login):
    client = login(personas["jobbspesialist"])
    response = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert lang_of(response) == "nb" and response["Content-Language"] == "nb"
    anonymous = Client().get("/logg-inn/", headers={"Accept-Language": "en"})
    assert lang_of(anonymous) == "nb"


def test_the_language_switch_is_remembered_on_the_user_on_another_device(personas, login):
    user = personas["jobbspesialist"]
    response = login(user).post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    user.refresh_from_db()
    assert user.language == "en"
    event = AuditEvent.objects.get(object_type="accounts.user", object_id=str(user.pk), action="update")
    assert (event.before, event.after) == ({"language": ""}, {"language": "en"})
    other_device = LoggedInClient()
    other_device.force_login(user)
    page = other_device.get("/")
    assert lang_of(page) == "en" and "What you can do in Brobygger" in page.content.decode()


def test_a_visitor_not_logged_in_switches_with_a_cookie_only(db):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/logg-inn/"})
    assert lang_of(client.get("/logg-inn/")) == "en"
    assert not AuditEvent.objects.filter(object_type="accounts.user", action="update").exists()


def test_a_job_specialist_opts_in_to_the_daily_digest_on_the_settings_page(personas, login):
    user = personas["jobbspesialist"]
    client = login(user)
    page = client.get("/innstillinger/").content.decode()
    assert "Send meg en e-post hver morgen" in page
    response = client.post("/innstillinger/", {"language": "nb", "daily_digest": "on"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.daily_digest, user.language) == (True, "nb")
    client.post("/innstillinger/", {"language": "nb"})
    user.refresh_from_db()
    assert user.daily_digest is False


@pytest.mark.parametrize("username", ["analytiker", "behandler", "sysadmin"])
def test_roles_without_a_caseload_get_no_digest_and_are_told_why(personas, login, username):
    user = personas[username]
    client = login(user)
    page = client.get("/innstillinger/").content.decode()
    assert "Send meg en e-post hver morgen" not in page
    assert "Den daglige e-posten med varsler er for jobbspesialister og IPS-ledere." in page
    client.post("/innstillinger/", {"language": "en", "daily_digest": "on"})
    user.refresh_from_db()
    assert (user.daily_digest, user.language) == (False, "en")


def test_an_unknown_language_is_refused_on_the_form(personas, login):
    response = login(personas["ips-leder"]).post("/innstillinger/", {"language": "xx"})
    assert response.status_code == 200 and "Velg et gyldig valg" in response.content.decode()
