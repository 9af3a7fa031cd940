"""Two database roles on PostgreSQL, so that the audit trail and the access log cannot be erased by the application.

The *owner* role runs the migrations and owns every table (and so the append-only triggers). The *application* role,
which the web and worker processes connect as, may read and write the ordinary tables but may only read and add to
the audit tables: no UPDATE, DELETE or TRUNCATE, and, not being the owner, it cannot drop the triggers either.
`grant_app_privileges` gives the application role exactly that; run it as the owner after every `migrate`.
"""

from django.db import connection
from psycopg import sql

from brobygger.audit.models import AccessLogEntry, AuditEvent

APPEND_ONLY_TABLES = (AuditEvent._meta.db_table, AccessLogEntry._meta.db_table)
READ_ONLY_TABLES = ("django_migrations",)


def app_role_statements(role: str) -> list[sql.Composed]:
    """The statements that leave ``role`` with what the application needs and nothing more."""
    name = sql.Identifier(role)
    statements = [
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(name),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(name),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(name),
    ]
    for table in APPEND_ONLY_TABLES:
        statements.append(sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(sql.Identifier(table), name))
    for table in READ_ONLY_TABLES:
        statements.append(sql.SQL("REVOKE INSERT, UPDATE, DELETE ON {} FROM {}").format(sql.Identifier(table), name))
    return statements


def grant_app_privileges(role: str) -> None:
    with connection.cursor() as cursor:
        for statement in app_role_statements(role):
            cursor.execute(statement)


def audit_tables_owned_by_current_user() -> list[str]:
    """The audit tables the connected role owns: in production, none."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE tablename = ANY(%s) AND tableowner = current_user",
            [list(APPEND_ONLY_TABLES)],
        )
        return sorted(row[0] for row in cursor.fetchall())
