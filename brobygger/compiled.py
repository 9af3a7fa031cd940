"""Queries built and compiled to SQL once per thread and then run as they are (issue 15).

Building a queryset and compiling it cost Django more time than PostgreSQL spends running most of the reports' and
the caseload's queries: 18 ms of CPU for the national annual report, against under 3 ms for sending the same SQL
and reading its rows. Such a query's SQL and parameters depend only on the arguments it is built from (a report's
period, level, scope and the like; the caseload's job specialists), never on the data: a caller passes everything
its query depends on, data included (the day of the municipal structure), and the compiled query is kept under
those arguments. The rows still pass through Django's converters (booleans, durations and decimals differ between
the databases), so they are what ``values()`` gives.

Per thread, because a compiler holds its thread's connection; the last ``SIZE`` queries of each thread are kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

SIZE = 256

_local = threading.local()


@dataclass
class _Compiled:
    names: list[str]
    compiler: SQLCompiler | None = None  # None: the query can match nothing (an empty scope), as Django decides
    sql: str = ""
    params: tuple[Any, ...] = ()


@dataclass
class _Entry:
    queryset: QuerySet
    by_database: dict[str, _Compiled] = field(default_factory=dict)


def values(build: Callable[..., QuerySet], *args: Hashable) -> list[dict[str, Any]]:
    """The rows of ``build(*args)``, a ``values()`` queryset, as dicts; ``args`` is all the query depends on."""
    entry = _entry(build, args)
    alias = entry.queryset.db  # the router's choice now: the replica for the statistics pages, if there is one
    compiled = entry.by_database.get(alias) or entry.by_database.setdefault(alias, _compile(entry.queryset, alias))
    if compiled.compiler is None:
        return []
    with connections[alias].cursor() as cursor:
        cursor.execute(compiled.sql, compiled.params)
        rows = cursor.fetchall()
    if compiled.compiler.has_extra_select:  # columns only ordering needs, after the selected ones
        rows = [row[: compiled.compiler.col_count] for row in rows]
    return [dict(zip(compiled.names, row, strict=True)) for row in compiled.compiler.results_iter(results=[rows])]


def _entry(build: Callable[..., QuerySet], args: tuple[Hashable, ...]) -> _Entry:
    entries: OrderedDict[tuple[Any, ...], _Entry] = _local.__dict__.setdefault("entries", OrderedDict())
    key = (build, args)
    entry = entries.get(key)
    if entry is None:
        entry = entries[key] = _Entry(build(*args))
        if len(entries) > SIZE:
            entries.popitem(last=False)
    else:
        entries.move_to_end(key)
    return entry


def _compile(queryset: QuerySet, alias: str) -> _Compiled:
    query = queryset.query.chain()
    names = list(query.selected or (*query.extra_select, *query.values_select, *query.annotation_select))
    compiler = query.get_compiler(alias)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return _Compiled(names)
    return _Compiled(names, compiler, sql, tuple(params))
