"""How the rest of Brobygger writes to the audit trail and the access log."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from brobygger.audit.models import AccessLogEntry, AuditEvent
from brobygger.bulk import bulk_insert

# Field names that may hold an identity number or a secret; never copied into the trail.
REDACTED_FIELDS = frozenset({"password", "fodselsnummer", "fnr", "identity_number", "identity_hash"})


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The object's field values as JSON-safe data, without identity numbers, secrets or ``AUDIT_EXCLUDE``."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    excluded = REDACTED_FIELDS | set(getattr(obj, "AUDIT_EXCLUDE", ()))
    return {name: _plain(getattr(obj, name)) for name in names if name not in excluded}


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields whose value differs, so an event shows exactly what was changed."""
    keys = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    return {k: before[k] for k in keys if k in before}, {k: after[k] for k in keys if k in after}


def _object_type(obj: models.Model) -> str:
    return obj._meta.label_lower


def record_event(
    *,
    actor,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one write. Must run inside the transaction of the write it describes."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must be called inside the write's transaction")
    old, new = changed(before or {}, after or {}) if action == AuditEvent.Action.UPDATE else (before, after)
    return AuditEvent.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        action=action,
        object_type=_object_type(obj),
        object_id=str(obj.pk or ""),
        object_label=str(obj)[:200],
        before=old or {},
        after=new or {},
    )


def record_created_many(*, actor, objs: Iterable[models.Model]) -> None:
    """One "create" event per object in a single insert: a bulk write is audited row by row like any other.

    Must run inside the write's transaction, after the objects got their primary keys."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_created_many must be called inside the write's transaction")
    bulk_insert(
        AuditEvent,
        [
            AuditEvent(
                actor=actor if actor and actor.is_authenticated else None,
                action=AuditEvent.Action.CREATE,
                object_type=_object_type(obj),
                object_id=str(obj.pk),
                object_label=str(obj)[:200],
                before={},
                after=snapshot(obj),
            )
            for obj in objs
        ],
    )


def record_account_event(*, user, action: str) -> AuditEvent:
    """Logins and logouts, recorded against the user account itself."""
    with transaction.atomic():
        return record_event(actor=user, action=action, obj=user)


def log_access(*, actor, obj: models.Model, purpose: str = AccessLogEntry.Purpose.VIEW, path: str = "") -> None:
    """Record that ``actor`` read the personal data held by ``obj``."""
    AccessLogEntry.objects.create(
        actor=actor, purpose=purpose, object_type=_object_type(obj), object_id=str(obj.pk), path=path[:300]
    )


def log_access_many(*, actor, objs: Iterable[models.Model], purpose: str, path: str = "") -> None:
    """Record one read per object in a single insert: a list of people is a read of each of them."""
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            actor=actor, purpose=purpose, object_type=_object_type(obj), object_id=str(obj.pk), path=path[:300]
        )
        for obj in objs
    )
