"""Sends the statistics pages' reads to a read replica when one is configured (DATABASE_REPLICA_URL).

Routing is by what a request does, not by model: the statistics read the pathway tables that the caseload also
reads, and the caseload must see a write at once, while aggregate figures may lag a replica's few seconds. A view
opts in with ``@reads_from_replica``; everything else, and every write, goes to the primary.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings

REPLICA = "replica"
_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside go to the replica, if there is one."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def reads_from_replica(view: Callable) -> Callable:
    """For views that only read, and whose readers accept figures a few seconds old."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        if _replica_reads.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None  # the primary

    def db_for_write(self, model, **hints) -> str | None:
        return None  # the primary, always: a replica is read-only

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, model_name=None, **hints) -> bool:
        return db != REPLICA  # a replica gets its schema from the primary's replication
