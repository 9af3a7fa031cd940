"""Searching the audit trail and the access log (read-only)."""

from typing import Any

from django.db.models import QuerySet

from brobygger.audit.models import AccessLogEntry, AuditEvent


def search(criteria: dict[str, Any]) -> QuerySet:
    log = AccessLogEntry if criteria.get("log") == "access" else AuditEvent
    rows = log.objects.select_related("actor")
    if criteria.get("actor"):
        rows = rows.filter(actor__username__iexact=criteria["actor"])
    if criteria.get("object_type"):
        rows = rows.filter(object_type__icontains=criteria["object_type"])
    if criteria.get("object_id"):
        rows = rows.filter(object_id=criteria["object_id"])
    if criteria.get("action") and log is AuditEvent:
        rows = rows.filter(action=criteria["action"])
    if criteria.get("date_from"):
        rows = rows.filter(at__date__gte=criteria["date_from"])
    if criteria.get("date_to"):
        rows = rows.filter(at__date__lte=criteria["date_to"])
    return rows
