"""The daily e-mail of caseload alerts: to those who asked for it, counts and links only, once per user per day."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from brobygger.participants import demo, digest
from brobygger.participants.models import DigestSent, Participant
from brobygger.participants.tasks import send_daily_digest


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def pathway(personas, today):
    """The demo participants, with an alert of every kind on the job specialist's caseload."""
    demo.seed(today=today)
    return personas


def opt_in(user, language=""):
    user.daily_digest, user.language = True, language
    user.save(update_fields=["daily_digest", "language"])
    return user


def test_an_opted_in_job_specialist_gets_the_counts_and_links_without_names(pathway, today):
    user = opt_in(pathway["jobbspesialist"])
    expected = digest.alert_counts(user, today)
    assert sum(expected.values()) >= 4

    sent = digest.digest_send(user=user, day=today)

    assert (sent.emailed, sent.alert_counts) == (True, expected)
    [message] = mail.outbox
    assert message.to == [user.email]
    assert message.subject == f"Brobygger: {sum(expected.values())} varsler i saksoversikten"
    assert "http://127.0.0.1:8000/saksoversikt/" in message.body and "/innstillinger/" in message.body
    assert "- Arbeidsgiverkontakt: " in message.body
    for person in Participant.objects.all():
        assert person.last_name not in message.body and person.first_name not in message.body


def test_the_same_day_is_never_sent_twice_so_a_restarted_worker_sends_nothing(pathway, today):
    user = opt_in(pathway["jobbspesialist"])
    send_daily_digest.call(user.pk, today.isoformat())
    send_daily_digest.call(user.pk, today.isoformat())
    assert len(mail.outbox) == 1 and DigestSent.objects.filter(user=user, day=today).count() == 1
    assert user not in digest.recipients(today)


def test_the_e_mail_is_in_the_users_language(pathway, today):
    user = opt_in(pathway["jobbspesialist"], language="en")
    digest.digest_send(user=user, day=today)
    [message] = mail.outbox
    assert message.subject.endswith("alerts on your caseload") and "Employer contact: " in message.body


def test_a_leader_gets_the_counts_of_the_services(pathway, today):
    user = opt_in(pathway["ips-leder"])
    sent = digest.digest_send(user=user, day=today)
    assert sent.emailed and "http://127.0.0.1:8000/saksoversikt/team/" in mail.outbox[0].body


def test_no_e_mail_for_those_who_did_not_ask_or_whose_role_has_no_caseload(pathway, today):
    clinician = opt_in(pathway["behandler"])
    assert digest.digest_send(user=pathway["jobbspesialist"], day=today) is None
    assert digest.digest_send(user=clinician, day=today) is None
    assert list(digest.recipients(today)) == [] and mail.outbox == []


def test_a_day_without_alerts_is_recorded_but_sends_no_empty_e_mail(personas, today):
    user = opt_in(personas["jobbspesialist"])
    sent = digest.digest_send(user=user, day=today)
    assert (sent.emailed, sent.alert_counts, mail.outbox) == (False, {}, [])


def test_the_command_queues_each_recipient_once_and_the_worker_sends(pathway, today, settings, monkeypatch):
    # The test runs inside a transaction, which the worker would take for a broken connection and close.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    opt_in(pathway["jobbspesialist"])
    opt_in(pathway["ips-leder"])
    call_command("send_daily_digests", stdout=io.StringIO())
    assert mail.outbox == []  # queued, not sent: the worker sends
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert sorted(m.to[0] for m in mail.outbox) == ["ips-leder@demo.invalid", "jobbspesialist@demo.invalid"]
    call_command("send_daily_digests", stdout=io.StringIO())
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert len(mail.outbox) == 2
