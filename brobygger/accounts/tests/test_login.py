from django.test import override_settings

from brobygger.accounts.demo import DEMO_PASSWORD
from brobygger.audit.models import AuditEvent


def _attempt(client, password):
    return client.post("/logg-inn/", {"username": "analytiker", "password": password}, REMOTE_ADDR="10.0.0.9")


def test_a_persona_logs_in_and_the_login_is_audited(personas, client):
    response = _attempt(client, DEMO_PASSWORD)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="login", actor=personas["analytiker"]).exists()


@override_settings(AXES_FAILURE_LIMIT=5)
def test_it_locks_the_account_after_five_failed_attempts(personas, client):
    for _ in range(4):
        assert _attempt(client, "feil-passord").status_code == 200
    assert _attempt(client, "feil-passord").status_code == 429
    locked = _attempt(client, DEMO_PASSWORD)
    assert locked.status_code == 429
    assert "midlertidig sperret" in locked.content.decode()


def test_a_wrong_password_gets_a_norwegian_message(personas, client):
    response = _attempt(client, "feil-passord")
    assert "Vennligst oppgi korrekt brukernavn og passord" in response.content.decode()


def test_a_user_name_longer_than_allowed_gets_a_message_and_no_lockout_row(personas, client):
    from axes.models import AccessAttempt

    from brobygger.rules import bounds

    response = client.post("/logg-inn/", {"username": "x" * 300, "password": "y"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 200
    assert f"lengre enn {bounds.USERNAME_MAX_LENGTH} tegn" in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_a_user_name_of_the_longest_allowed_length_is_tried_as_usual(personas, client):
    from brobygger.rules import bounds

    response = client.post(
        "/logg-inn/", {"username": "x" * bounds.USERNAME_MAX_LENGTH, "password": "y"}, REMOTE_ADDR="10.0.0.9"
    )
    assert "Vennligst oppgi korrekt brukernavn og passord" in response.content.decode()
