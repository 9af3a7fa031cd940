"""Two-factor login: who must, enrolment, verification with a TOTP code or a recovery code, and demo mode."""

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from brobygger.accounts.demo import DEMO_PASSWORD, PERSONAS
from brobygger.accounts.models import ROLES_REQUIRING_SECOND_FACTOR, Role
from brobygger.audit.models import AuditEvent

ENROL = "/logg-inn/totrinn/oppsett/"
VERIFY = "/logg-inn/totrinn/"


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the app shows now; a later step for a second login, since a used code is refused (replay)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps_ahead):06d}"


def password_login(username: str, next_path: str = "/") -> Client:
    client = Client()
    response = client.post(f"/logg-inn/?next={next_path}", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def enrol(client: Client, username: str) -> tuple[TOTPDevice, list[str]]:
    client.get(ENROL)
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    response = client.post(ENROL, {"token": code(device), "next": "/"})
    assert response.status_code == 200
    return device, response.context["codes"]


def test_the_roles_that_see_personal_data_or_decide_grants_need_a_second_factor():
    assert {
        Role.JOB_SPECIALIST,
        Role.IPS_LEADER,
        Role.CLINICIAN,
        Role.GRANT_OFFICER,
        Role.SYSTEM_ADMINISTRATOR,
    } == ROLES_REQUIRING_SECOND_FACTOR


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda persona: persona.username)
def test_after_the_password_a_user_without_a_device_reaches_nothing_but_enrolment(personas, persona):
    client = password_login(persona.username)
    response = client.get("/tilbud/")
    if persona.role in ROLES_REQUIRING_SECOND_FACTOR:
        assert response.status_code == 302
        assert response["Location"] == f"{ENROL}?next=%2Ftilbud%2F"
        api = client.get("/api/v1/participants/")
        assert api.status_code == 403
        assert "totrinnsbekreftelse" in api.json()["detail"]
    else:
        assert response.status_code == 200


def test_enrolment_shows_a_qr_code_and_the_key_and_a_wrong_code_is_refused(personas):
    client = password_login("jobbspesialist")
    page = client.get(ENROL)
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=personas["jobbspesialist"], confirmed=False)
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
    response = client.post(ENROL, {"token": wrong})
    assert "Koden stemmer ikke" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=personas["jobbspesialist"], confirmed=True).exists()
    assert client.get("/tilbud/").status_code == 302


def test_enrolment_with_the_right_code_shows_ten_recovery_codes_once_and_opens_the_pages(personas):
    client = password_login("jobbspesialist")
    _device, codes = enrol(client, "jobbspesialist")
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert StaticToken.objects.filter(device__user=personas["jobbspesialist"]).count() == 10
    assert client.get("/tilbud/").status_code == 200
    # The codes are not shown again: the enrolment page now starts over with a new key, without the old codes.
    again = client.get(ENROL).content.decode()
    assert not any(recovery in again for recovery in codes)
    events = AuditEvent.objects.filter(object_type="otp_totp.totpdevice", actor=personas["jobbspesialist"])
    assert events.count() == 1
    assert "key" not in events.get().after


def test_next_login_asks_for_the_code_and_accepts_a_fresh_one(personas):
    device, _codes = enrol(password_login("ips-leder"), "ips-leder")
    client = password_login("ips-leder", "/tilbud/")
    response = client.get("/tilbud/")
    assert response["Location"] == f"{VERIFY}?next=%2Ftilbud%2F"
    # The code used at enrolment is spent; the next step's code is accepted (django-otp allows one step of drift).
    accepted = client.post(VERIFY, {"token": code(device, steps_ahead=1), "next": "/tilbud/"})
    assert accepted.status_code == 302
    assert accepted["Location"] == "/tilbud/"
    assert client.get("/tilbud/").status_code == 200


def test_a_code_already_used_is_refused_and_further_tries_are_slowed_down(personas):
    device, _codes = enrol(password_login("ips-leder"), "ips-leder")
    client = password_login("ips-leder")
    assert "stemmer ikke" in client.post(VERIFY, {"token": code(device)}).content.decode()
    # django-otp's throttle: right after a failure even the right code waits.
    assert client.post(VERIFY, {"token": code(device, steps_ahead=1)}).status_code == 200
    assert client.get("/tilbud/").status_code == 302


def test_a_recovery_code_works_once(personas):
    _device, codes = enrol(password_login("behandler"), "behandler")
    first = password_login("behandler")
    assert first.post(VERIFY, {"token": codes[0]}).status_code == 302
    assert first.get("/tilbud/").status_code == 200
    second = password_login("behandler")
    assert "stemmer ikke" in second.post(VERIFY, {"token": codes[0]}).content.decode()
    assert second.get("/tilbud/").status_code == 302


def test_a_password_alone_cannot_replace_an_enrolled_device(personas):
    enrol(password_login("sysadmin"), "sysadmin")
    client = password_login("sysadmin")
    response = client.get(ENROL)
    assert response.status_code == 302
    assert response["Location"] == "/logg-inn/totrinn/"


def test_verification_does_not_redirect_to_another_site(personas):
    device, _codes = enrol(password_login("tilskuddsforvalter"), "tilskuddsforvalter")
    client = password_login("tilskuddsforvalter")
    response = client.post(VERIFY, {"token": code(device, steps_ahead=1), "next": "https://example.com/"})
    assert response["Location"] == "/"


def test_in_demo_mode_the_demo_personas_skip_the_second_factor(personas, settings):
    settings.DEMO_MODE = True
    client = password_login("jobbspesialist")
    assert client.get("/tilbud/").status_code == 200


def test_in_demo_mode_other_users_still_need_the_second_factor(personas, settings, django_user_model):
    settings.DEMO_MODE = True
    django_user_model.objects.create_user("ny-leder", password=DEMO_PASSWORD, role=Role.IPS_LEADER)
    client = password_login("ny-leder")
    assert client.get("/tilbud/").status_code == 302


def test_outside_demo_mode_the_demo_personas_need_it_too(personas, settings):
    settings.DEMO_MODE = False
    client = password_login("jobbspesialist")
    assert client.get("/tilbud/").status_code == 302


def test_logging_in_again_owes_the_second_factor_again(personas):
    client = password_login("jobbspesialist")
    enrol(client, "jobbspesialist")
    assert client.get("/tilbud/").status_code == 200
    client.post("/logg-inn/", {"username": "jobbspesialist", "password": DEMO_PASSWORD})
    assert client.get("/tilbud/").status_code == 302


def test_the_enrolment_page_shows_the_key_in_base32_for_manual_entry(personas):
    client = password_login("jobbspesialist")
    html = client.get(ENROL).content.decode()
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7=]+)<', html)
    assert secret is not None
    assert len(secret.group(1)) >= 32


def test_the_menu_is_hidden_until_the_second_factor_is_passed(personas):
    client = password_login("jobbspesialist")
    assert client.get(ENROL).context["nav_items"] == []
    enrol(client, "jobbspesialist")
    assert client.get("/tilbud/").context["nav_items"]


@pytest.mark.parametrize("username", ["analytiker", "kvalitetsevaluator"])
def test_roles_without_personal_data_have_no_second_factor_pages(personas, username):
    client = password_login(username)
    assert client.get(ENROL)["Location"] == "/"
    assert client.get(VERIFY)["Location"] == "/"
    assert not TOTPDevice.objects.filter(user__username=username).exists()
