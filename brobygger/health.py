"""Health endpoints for the platform's probes: JSON, no login, no personal data, never cached.

``/helse/`` (liveness) answers as long as the process can serve a request, without touching the database, so that a
database outage does not make the platform restart every app server. ``/helse/klar/`` (readiness) also checks that
the database answers and that every migration this code knows of is applied: an app server started on a new release
before ``migrate`` has run takes no traffic.
"""

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

# Once every migration is applied it stays so for this process's code: the database only moves forward.
_migrated = False


def _migrations_applied() -> bool:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


@never_cache
@require_safe
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
        checks["migrations"] = "ok" if _migrations_applied() else "pending"
    except DatabaseError:
        checks["database"] = "unavailable"
    ok = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503)
