"""Run by tests/test_routers.py in a process with DATABASE_REPLICA_URL set: the suite itself has no replica alias.

Not named test_*.py, so the main run does not collect it. The replica is a test mirror of the default database, so
both aliases see the same rows through separate connections, as a real replica would (minus the lag); the tests are
transactional so that the replica's connection sees the committed users. Nothing here may write an audit record,
which the flush after a transactional test could not delete: users are made directly, not through the services, and
signed in by a session of their own rather than login(), which records the login.
"""

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connections
from django.test.utils import CaptureQueriesContext

from brobygger.accounts import twofactor
from brobygger.accounts.models import Role, User
from brobygger.participants.models import Period
from brobygger.routers import ReplicaRouter, replica_reads

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture(scope="module", autouse=True)
def close_the_replica_pool(django_db_setup):
    """Django closes the default alias's connection pool before it drops the test database, but not a mirror's."""
    yield
    replica = connections["replica"]
    replica.close()
    if hasattr(replica, "close_pool"):
        replica.close_pool()


def _sign_in(client, role: str) -> None:
    user = User.objects.create(username=role, role=role)
    session = SessionStore()
    session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[-1]})
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    twofactor.mark_passed_in(session, twofactor.Method.TOTP)  # roles that see personal data owe a second factor
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


def _queries(path, client):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = client.get(path)
    assert response.status_code == 200, path
    return primary, replica


def test_statistics_pages_read_from_the_replica(client):
    _sign_in(client, Role.ANALYST)
    primary, replica = _queries("/statistikk/", client)
    assert len(replica) > 0
    # The primary serves only the session and the user, which must see a fresh login at once, and the writes: the
    # page queues the figures' computation on the first visit (reporting_reportjob and the task queue).
    reads = [q["sql"] for q in primary if q["sql"].lstrip().upper().startswith("SELECT")]
    assert all(
        any(table in sql for table in ("django_session", "accounts_user", "reporting_reportjob", "django_tasks"))
        for sql in reads
    ), reads


def test_the_caseload_reads_from_the_primary(client):
    _sign_in(client, Role.JOB_SPECIALIST)
    primary, replica = _queries("/saksoversikt/", client)
    assert len(replica) == 0
    assert len(primary) > 0


def test_writes_go_to_the_primary_even_while_reading_from_the_replica():
    router = ReplicaRouter()
    assert router.db_for_read(Period) is None
    with replica_reads():
        assert router.db_for_read(Period) == "replica"
        assert router.db_for_write(Period) is None
    assert router.allow_migrate("replica", "participants") is False
    assert router.allow_migrate("default", "participants") is True
