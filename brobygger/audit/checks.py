"""A deployment check: in production the application must not connect as the role that owns the audit tables."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import connection
from django.db.utils import DatabaseError

from brobygger.audit.privileges import audit_tables_owned_by_current_user


@register(Tags.database, deploy=True)
def check_app_role_does_not_own_audit_tables(app_configs=None, databases=None, **kwargs):
    if not settings.PRODUCTION or connection.vendor != "postgresql":
        return []
    try:
        owned = audit_tables_owned_by_current_user()
    except DatabaseError:
        return []
    if not owned:
        return []
    return [
        Error(
            "Applikasjonen kobler til databasen som eieren av revisjonstabellene og kan da slette dem.",
            hint="Koble til som applikasjonsrollen (se docs/security.md) og kjør grant_app_privileges som eier.",
            id="audit.E001",
        )
    ]
