"""How the rest of Brobygger writes to the audit trail and the access log."""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from brobygger.audit.models import AccessLogEntry, AuditEvent
from brobygger.bulk import bulk_insert_values

# Field names that may hold an identity number or a secret; never copied into the trail.
REDACTED_FIELDS = frozenset({"password", "fodselsnummer", "fnr", "identity_number", "identity_hash"})
MASKED = "(skjult)"


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


def _mask(values: dict[str, Any], masked: set[str]) -> dict[str, Any]:
    """Say that a name, contact detail or free text changed without keeping it: audit rows outlive erasure."""
    return {name: MASKED if name in masked and value not in ("", None) else value for name, value in values.items()}


def _label(obj: models.Model) -> str:
    """What the trail calls the object. A person is named by number only, since audit rows outlive erasure."""
    if getattr(obj, "AUDIT_EXCLUDE", ()) and hasattr(obj, "pk"):
        return f"#{obj.pk}"
    return str(obj)[:200]


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
    masked = set(getattr(obj, "AUDIT_MASK", ()))
    old, new = _mask(old or {}, masked), _mask(new or {}, masked)
    return AuditEvent.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        action=action,
        object_type=_object_type(obj),
        object_id=str(obj.pk or ""),
        object_label=_label(obj),
        before=old or {},
        after=new or {},
    )


def record_created_many(*, actor, objs: Iterable[models.Model]) -> None:
    """One "create" event per object in a single insert: a bulk write is audited row by row, each event as
    ``record_event`` would have recorded it (the same label, the same masked fields).

    Must run inside the write's transaction, after the objects got their primary keys."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_created_many must be called inside the write's transaction")
    actor_id = actor.pk if actor and actor.is_authenticated else None
    rows = []
    # Per model once, not per object: the import audits tens of thousands of objects of three models.
    fields_of: dict[type[models.Model], tuple[str, list[str], set[str]]] = {}
    for obj in objs:
        model = type(obj)
        if model not in fields_of:
            excluded = REDACTED_FIELDS | set(getattr(obj, "AUDIT_EXCLUDE", ()))
            names = [f.attname for f in obj._meta.concrete_fields if f.attname not in excluded]
            fields_of[model] = (_object_type(obj), names, set(getattr(obj, "AUDIT_MASK", ())))
        object_type, names, masked = fields_of[model]
        after = {name: _plain(getattr(obj, name)) for name in names}
        rows.append(
            {
                "actor_id": actor_id,
                "action": AuditEvent.Action.CREATE,
                "object_type": object_type,
                "object_id": str(obj.pk),
                "object_label": _label(obj),
                "before": {},
                "after": _mask(after, masked) if masked else after,
            }
        )
    bulk_insert_values(AuditEvent, rows)


def record_account_event(*, user, action: str) -> AuditEvent:
    """Logins and logouts, recorded against the user account itself."""
    with transaction.atomic():
        return record_event(actor=user, action=action, obj=user)


# How far below the newest event a write still committing may have taken its id (see ``trail_version``).
TRAIL_VERSION_WINDOW = 1000


def trail_version() -> tuple[int, int]:
    """A mark of the audit trail that changes whenever a write commits, for caches of figures computed from the data
    (every write records its event in its own transaction): the newest event's id, and the number of events in the
    ``TRAIL_VERSION_WINDOW`` ids below it, since a transaction that took a lower id can commit after a later one.
    Two index lookups, however long the trail."""
    newest = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    recent = AuditEvent.objects.filter(id__gt=newest - TRAIL_VERSION_WINDOW).count()
    return newest, recent


def log_access(*, actor, obj: models.Model, purpose: str = AccessLogEntry.Purpose.VIEW, path: str = "") -> None:
    """Record that ``actor`` read the personal data held by ``obj``."""
    AccessLogEntry.objects.create(
        actor=actor, purpose=purpose, object_type=_object_type(obj), object_id=str(obj.pk), path=path[:300]
    )


# The reads of the request being answered: (object type, id) -> purpose. ``AccessLogMiddleware`` opens it,
# the owning apps' ``get_<object>_for_user`` helpers and list pages fill it, and the middleware writes it.
_reads: ContextVar[dict[tuple[str, str], str] | None] = ContextVar("brobygger_reads", default=None)

# A reveal of the identity number says more than a view; the row of a read keeps the strongest purpose.
_PURPOSE_WEIGHT = {AccessLogEntry.Purpose.VIEW: 0, AccessLogEntry.Purpose.API: 0, AccessLogEntry.Purpose.EXPORT: 1}


def note_read(obj: models.Model, purpose: str = AccessLogEntry.Purpose.VIEW) -> None:
    """Mark ``obj``'s personal data as read by the current request; written once, when the response succeeds."""
    note_reads([obj], purpose)


def note_reads(objs: Iterable[models.Model], purpose: str = AccessLogEntry.Purpose.VIEW) -> None:
    """A list of people is a read of each of them: one row per person, however often the request touched them."""
    reads = _reads.get()
    if reads is None:
        return
    weight = _PURPOSE_WEIGHT.get(purpose, 2)
    for obj in objs:
        key = (_object_type(obj), str(obj.pk))
        if key not in reads or _PURPOSE_WEIGHT.get(reads[key], 2) < weight:
            reads[key] = purpose


@contextmanager
def reads_of_request(*, actor, path: str) -> Iterator[Callable[..., None]]:
    """Collect the reads of one request; the caller calls the yielded ``write(shown, api=)`` once it has answered.

    Only a response that showed something (2xx) is a read: a refusal, a 404 or a redirect after a write shows
    nobody's data. Plain views are logged as ``view``, the API's as ``api``.
    """
    token = _reads.set({})

    def write(shown: bool, *, api: bool) -> None:
        reads = _reads.get() or {}
        if not shown or not reads or actor is None or not actor.is_authenticated:
            return
        AccessLogEntry.objects.bulk_create(
            AccessLogEntry(
                actor=actor,
                purpose=AccessLogEntry.Purpose.API if api and purpose == AccessLogEntry.Purpose.VIEW else purpose,
                object_type=object_type,
                object_id=object_id,
                path=path[:300],
            )
            for (object_type, object_id), purpose in reads.items()
        )

    try:
        yield write
    finally:
        _reads.reset(token)
