"""The platform's probes: liveness without the database, readiness with it; JSON, no login, no personal data."""

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from brobygger import health


def test_liveness_answers_without_login_or_database(client):
    # No django_db mark: any query here would fail the test.
    response = client.get("/helse/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_readiness_checks_the_database_and_migrations(client, monkeypatch):
    monkeypatch.setattr(health, "_migrated", False)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/helse/klar/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}
    assert any("django_migrations" in query["sql"] for query in queries)


@pytest.mark.django_db
def test_readiness_fails_while_migrations_are_pending(client, monkeypatch):
    monkeypatch.setattr(health, "_migrated", False)
    monkeypatch.setattr(
        health.MigrationExecutor, "migration_plan", lambda self, targets: [("a migration not yet applied", False)]
    )
    response = client.get("/helse/klar/")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "pending"


@pytest.mark.django_db
def test_readiness_fails_when_the_database_does_not_answer(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    response = client.get("/helse/klar/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "unavailable"}}


def test_probes_only_read(client):
    assert client.post("/helse/").status_code == 405
