"""Shared personas for the whole suite: the demo seed, so tests speak of the same people the demo shows."""

import pytest
from django.conf import settings as django_settings
from django.utils import translation


@pytest.fixture
def personas(db) -> dict:
    """One user per role (see brobygger.accounts.demo.PERSONAS), with services, teams and memberships."""
    # Imported here so that the pure rules tests can run without Django.
    from brobygger.accounts import demo

    return demo.seed()


@pytest.fixture
def client():
    """pytest-django's client, except that force_login also passes the second factor (see LoggedInClient)."""
    from brobygger.accounts.testing import LoggedInClient

    return LoggedInClient()


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the cache, which would otherwise carry one test's logins into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fresh_live_reports():
    """A leader's live figures are kept per process under the audit trail's version, which a rolled-back test
    database can repeat with other data."""
    from brobygger.reporting import sources

    sources.forget_live_reports()


@pytest.fixture
def login(client):
    """Log the test client in as a persona: ``login(personas["sysadmin"])``."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests hash a persona password per role per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def synthetic_identity_numbers(settings):
    # Tests use synthetic identity numbers only, which production refuses.
    settings.IDENTITY_ALLOW_SYNTHETIC = True


@pytest.fixture(autouse=True)
def bokmal():
    """Each test starts in bokmål: a request in English leaves English active in the thread after it."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
