"""On PostgreSQL the application's role can read and add audit rows, but never change, delete or truncate them."""

import io
import os

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from brobygger.audit.checks import check_app_role_does_not_own_audit_tables
from brobygger.audit.privileges import APPEND_ONLY_TABLES

pytestmark = pytest.mark.django_db(transaction=True)
needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Roller finnes bare i PostgreSQL; CI kjører dette mot PostgreSQL."
)


@pytest.fixture
def app_role():
    """A login role of this test's own, granted what `grant_app_privileges` grants, and dropped afterwards."""
    role = f"brobygger_app_test_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" LOGIN')
    try:
        call_command("grant_app_privileges", role, stdout=io.StringIO())
        params = connection.get_connection_params()
        with psycopg.connect(
            host=params.get("host"), port=params.get("port"), dbname=params["dbname"], user=role, autocommit=True
        ) as app:
            yield app
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE "{role}"')


@needs_postgres
@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE {table}",
        "DELETE FROM {table}",
        "UPDATE {table} SET id = id",
        "DROP TRIGGER {table}_append_only ON {table}",
    ],
)
def test_the_app_role_cannot_erase_the_audit_tables(app_role, table, statement):
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        app_role.execute(statement.format(table=table))


@needs_postgres
def test_the_app_role_reads_and_adds_audit_rows_and_writes_ordinary_tables(app_role):
    privileges = {
        (table, privilege): app_role.execute("SELECT has_table_privilege(%s, %s)", [table, privilege]).fetchone()[0]
        for table in (*APPEND_ONLY_TABLES, "participants_participant")
        for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")
    }
    assert {key for key, allowed in privileges.items() if allowed} == {
        *((table, p) for table in APPEND_ONLY_TABLES for p in ("SELECT", "INSERT")),
        *(("participants_participant", p) for p in ("SELECT", "INSERT", "UPDATE", "DELETE")),
    }


@needs_postgres
def test_production_refuses_a_connection_as_the_owner_of_the_audit_tables(settings):
    settings.PRODUCTION = True
    assert [error.id for error in check_app_role_does_not_own_audit_tables()] == ["audit.E001"]
    settings.PRODUCTION = False
    assert check_app_role_does_not_own_audit_tables() == []


@pytest.mark.skipif(connection.vendor == "postgresql", reason="Gjelder den innebygde SQLite-databasen.")
def test_the_command_says_sqlite_has_no_roles():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("grant_app_privileges", "brobygger_app")
