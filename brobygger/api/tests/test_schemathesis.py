"""Schemathesis over the whole OpenAPI schema, as three roles: no input the schema allows, nor input it forbids, gets a
server error, and every documented answer matches its documented schema.

It runs inside pytest against the Django WSGI application (no server), deterministically (derandomised hypothesis)
and bounded (MAX_EXAMPLES per operation), with data in the database so ids in paths sometimes hit.
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from brobygger.accounts.testing import LoggedInClient
from brobygger.api.api import api
from brobygger.wsgi import application

MAX_EXAMPLES = 25
ROLES = ("jobbspesialist", "ips-leder", "analytiker")
# Any 32 letters make a valid CSRF secret; the same value in cookie and header passes the check, as a browser does.
CSRF_TOKEN = "s" * 32


def _schema() -> schemathesis.schemas.BaseSchema:
    """The schema as the API serves it, called through the WSGI application."""
    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema(), default=str)))
    loaded.app = application
    loaded.location = "/api/v1/openapi.json"
    return loaded


schema = _schema()


@pytest.fixture
def served(period):
    """A started period of a participant in the database, so ids in paths sometimes hit something."""
    # The request cycle would close the test's database connection (and its transaction) after each call; the
    # Django test client switches this off in the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def role_cookies(personas, settings):
    """A signed-in session per role, past the second factor, with the CSRF cookie a browser would hold. The rate
    limit is lifted: schemathesis sends hundreds of calls a minute as each role, and a 429 would test nothing."""
    settings.API_RATE_LIMIT = "100000/m"
    cookies = {}
    for role in ROLES:
        client = LoggedInClient()
        client.force_login(personas[role])
        cookies[role] = {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF_TOKEN}
    return cookies


HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def test_the_api_never_fails_and_answers_as_documented(served, role_cookies):
    # One test over every operation, so the database is set up once rather than once per operation.
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:

        @HYPOTHESIS
        @given(case=operation.as_strategy())
        def check(case):
            for role in ROLES:
                case.call_and_validate(
                    cookies=role_cookies[role],
                    headers={"X-CSRFToken": CSRF_TOKEN},
                    checks=[not_a_server_error, response_schema_conformance],
                )

        check()


def test_each_role_is_signed_in_through_the_wsgi_application(served, role_cookies):
    operation = schema["/api/v1/participants/"]["GET"]
    statuses = {role: operation.Case().call(cookies=role_cookies[role]).status_code for role in ROLES}
    assert statuses == {"jobbspesialist": 200, "ips-leder": 200, "analytiker": 403}
    assert operation.Case().call().status_code == 401
