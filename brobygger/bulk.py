"""Inserting many rows at once: COPY on PostgreSQL, ``bulk_create`` elsewhere.

Django's ``bulk_create`` on PostgreSQL sends each column as an array that psycopg formats in Python, row by row;
COPY formats in C and is several times faster for tens of thousands of rows (the bulk import). The primary keys
are taken from the table's sequence first, so the objects can be referred to afterwards exactly as after
``bulk_create``.

``bulk_insert_values`` takes plain rows (field name to value) instead of model instances, for rows nobody refers to
as objects afterwards (status history, audit events): building a Django model instance costs more than formatting
and sending its row, and the import writes tens of thousands of them.

``collector_paused`` keeps Python's cyclic garbage collector out of such a job (see there).
"""

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

BATCH = 1000


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run a bulk job without the cyclic garbage collector, which is switched back on when the job ends.

    A full collection walks every live object, and one is triggered each time the live objects grow by a quarter:
    a job that builds hundreds of thousands of them (the import's rows, rule results and model instances) is walked
    again and again, for a third of its time, to find almost no cycles. Reference counting still frees everything
    else as usual; the few cycles wait for the next collection. The collector is per process, so this is for
    bulk jobs in a command or the background worker (both run one job at a time), never in a web request.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _connection(model: type[models.Model]):
    # The real wrapper, not the ``django.db.connection`` proxy: each attribute read through the proxy looks the
    # connection up again, and the fields' value preparation reads it several times per value.
    return connections[router.db_for_write(model)]


def _sequence_values(cursor, meta, count: int) -> list[int]:
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [meta.db_table, meta.pk.column, count],
    )
    return [pk for (pk,) in cursor.fetchall()]


def _copy(cursor, connection, meta, fields, rows) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def bulk_insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert ``objs`` (new, unsaved) and give each its primary key. Runs in the caller's transaction."""
    if not objs:
        return
    connection = _connection(model)
    if connection.vendor != "postgresql":
        model._base_manager.bulk_create(objs, batch_size=BATCH)
        return
    meta = model._meta
    fields = meta.concrete_fields
    with connection.cursor() as cursor:
        for obj, pk in zip(objs, _sequence_values(cursor, meta, len(objs)), strict=True):
            obj.pk = pk
        _copy(
            cursor,
            connection,
            meta,
            fields,
            ([field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields] for obj in objs),
        )
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias


def bulk_insert_values(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Insert ``rows`` (attribute name to Python value; a field left out gets its default, ``auto_now_add`` the
    time of the call) and return their primary keys in order. Runs in the caller's transaction."""
    if not rows:
        return []
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    connection = _connection(model)
    if connection.vendor != "postgresql":
        objs = [model(**row) for row in rows]
        model._base_manager.bulk_create(objs, batch_size=BATCH)
        return [obj.pk for obj in objs]
    # The time of the call, prepared once for every row; other defaults are made per row (a callable may differ).
    now = timezone.now()
    times = {
        field.attname: field.get_db_prep_save(now, connection)
        for field in fields
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False)
    }

    def prepared(row: Mapping[str, Any], pk: int) -> list[Any]:
        values = [pk]
        for field in fields:
            name = field.attname
            if name in row:
                values.append(field.get_db_prep_save(row[name], connection))
            elif name in times:
                values.append(times[name])
            else:
                values.append(field.get_db_prep_save(field.get_default(), connection))
        return values

    with connection.cursor() as cursor:
        pks = _sequence_values(cursor, meta, len(rows))
        _copy(cursor, connection, meta, [meta.pk, *fields], map(prepared, rows, pks))
    return pks
