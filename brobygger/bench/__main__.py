"""`make bench`: the national annual report on 10 years of national data on PostgreSQL, against hand-written SQL.

Creates two scratch databases on the PostgreSQL server (PGHOST, default 127.0.0.1:5432, user PGUSER, default
postgres), fills a small one (2 years at scale 0.1) and a national one (10 years at scale 1) with
``generate_national_data``, and prints:

- how long the bulk import of 10 000 people with referrals and periods takes (``bench/imports.py``; target: at
  most 10 s), on a third scratch database with the demo organisations;
- how long generating the national data took (target: under two minutes);
- the national annual report through ``reporting.indicators`` and one hand-written SQL query computing the same
  numbers (``bench/sql.py``), run turn about, the median of each and the median of each pair's ratio, with
  PostgreSQL's JIT on and off (targets: at most 1 s, and at most 1.2 times the SQL; the two must agree, or the
  benchmark fails), and the first call of each in the process (no target: the report's queries are compiled then);
- how long computing the published (suppressed) figures of the year takes: a background job;
- the annual report per municipality as PDF, queued as a background job and run by ``manage.py db_worker``
  (``bench/pdf.py``): its time, the worker's peak memory (maximum RSS) and the progress the page showed (target:
  under 3 s and 150 MB, or made in parts in the background with progress, which it is; it fails if the job fails or
  shows fewer than two steps between start and finish);
- the number of queries of the main statistics pages and the caseload pages at both data sizes (target: the same),
  with the year's figures published in both.

It is a benchmark, not a test: it prints, and exits non-zero only if the numbers disagree or a target is missed.
The scratch databases are dropped at the end, whatever happens.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date

HOST = os.environ.get("PGHOST", "127.0.0.1")
USER = os.environ.get("PGUSER", "postgres")
PREFIX = f"brobygger_bench_{os.getpid()}"
SMALL, LARGE, IMPORT = f"{PREFIX}_small", f"{PREFIX}_large", f"{PREFIX}_import"
LAST_YEAR = date.today().year - 1
RUNS = 21


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", HOST, "-U", USER, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], check=True
    )


def url(name: str) -> str:
    return f"postgres://{USER}@{HOST}:5432/{name}"


def use_database(name: str) -> None:
    from django.db import connections

    connections.close_all()
    connections["default"].settings_dict["NAME"] = name


@dataclass(frozen=True)
class Paired:
    """Two functions timed turn about: the first (cold) call of each, the medians, and the median of the ratios."""

    cold: tuple[float, float]
    medians: tuple[float, float]
    ratio: float
    results: tuple[object, object]


def interleaved(first, second, runs: int = RUNS) -> Paired:
    """Two functions run turn about, so a busy machine slows both alike; each pair's ratio taken on its own, so a
    burst of load that hits one pair does not move the others."""
    cold = _timed(first)[0], _timed(second)[0]  # the first call of each, what a new server process pays
    times: tuple[list[float], list[float]] = ([], [])
    results: list[object] = [None, None]
    for _ in range(runs):
        for index, function in enumerate((first, second)):
            seconds, results[index] = _timed(function)
            times[index].append(seconds)
    ratios = [a / b for a, b in zip(*times, strict=True)]
    return Paired(
        cold, (statistics.median(times[0]), statistics.median(times[1])), statistics.median(ratios), tuple(results)
    )


def _timed(function) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def set_jit(on: bool) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SET jit = {'on' if on else 'off'}")


def main() -> int:
    psql(f"CREATE DATABASE {SMALL}")
    try:
        os.environ["DATABASE_URL"] = url(SMALL)
        # The bench moves between scratch databases and drops them: a pool would keep connections open to a
        # database it must copy or drop ("being accessed by other users").
        os.environ.setdefault("DB_POOL_MAX_SIZE", "0")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brobygger.settings")
        import django

        django.setup()
        from django.core.management import call_command

        print(f"Migrerer {SMALL} …", flush=True)
        call_command("migrate", verbosity=0)
        use_database("postgres")
        psql(f"CREATE DATABASE {LARGE} TEMPLATE {SMALL}")
        psql(f"CREATE DATABASE {IMPORT} TEMPLATE {SMALL}")
        return run(call_command)
    finally:
        from django.db import connections

        connections.close_all()
        psql(f"DROP DATABASE IF EXISTS {SMALL} WITH (FORCE)")
        psql(f"DROP DATABASE IF EXISTS {LARGE} WITH (FORCE)")
        psql(f"DROP DATABASE IF EXISTS {IMPORT} WITH (FORCE)")


def run(call_command) -> int:
    from brobygger.bench import imports, pages, sql
    from brobygger.reporting import generate, indicators, published
    from brobygger.reporting.periods import Level, ReportingPeriod

    failures = []
    period = ReportingPeriod.for_year(LAST_YEAR)
    use_database(IMPORT)
    print(f"Importerer {imports.PEOPLE} personer med henvisninger og forløp …", flush=True)
    import_time, summary = imports.time_import()
    print(
        f"  {summary.new_participants} personer, {summary.referrals} henvisninger, {summary.periods} forløp "
        f"på {import_time:.1f} s (mål: høyst 10 s)"
    )
    if import_time > 10:
        failures.append("importen av 10 000 personer brukte mer enn 10 s")
    use_database(SMALL)
    generate.generate(years=2, scale=0.1, seed=1, last_year=LAST_YEAR)
    published.publish(period, actor=None)
    small_counts = pages.query_counts()

    use_database(LARGE)
    print("Lager 10 år med nasjonale data (skala 1) …", flush=True)
    started = time.perf_counter()
    summary = generate.generate(years=10, scale=1, seed=1, last_year=LAST_YEAR)
    generation = time.perf_counter() - started
    print(
        f"  {summary.participants} personer, {summary.periods} forløp, {summary.jobs} jobber, "
        f"{summary.contacts} arbeidsgiverkontakter, {summary.reviews} gjennomganger på {generation:.1f} s "
        f"(mål: under 120 s)"
    )
    if generation > 120:
        failures.append("generate_national_data brukte mer enn to minutter")
    call_command("migrate", verbosity=0)  # nothing to do; keeps the connection warm like a running server
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    figures = None
    for jit in (True, False):
        set_jit(jit)
        paired = interleaved(lambda: indicators.report(period, Level.NATIONAL), lambda: sql.national_annual(period))
        report, hand = paired.results
        figures = report.total.figures
        disagreements = sql.compare(figures, hand)
        (orm_time, sql_time), ratio = paired.medians, paired.ratio
        print(
            f"\nNasjonal årsrapport {period.label} ({figures['deltakere']} deltakere), JIT {'på' if jit else 'av'}, "
            f"{RUNS} kjøringer annenhver gang:"
        )
        print(f"  reporting.indicators: {orm_time * 1000:8.1f} ms median (mål: høyst 1000 ms)")
        print(f"  håndskrevet SQL:      {sql_time * 1000:8.1f} ms median")
        print(f"  forhold:              {ratio:8.2f} median av forholdet i hvert par (mål: høyst 1,20)")
        if jit:  # the first of the two rounds: nothing compiled yet in this process
            print(
                f"  første kjøring:       {paired.cold[0] * 1000:.1f} ms mot {paired.cold[1] * 1000:.1f} ms "
                "(spørringene bygges og kompileres først, brobygger/compiled.py; uten mål)"
            )
        if disagreements:
            failures.append("tallene er ulike: " + "; ".join(disagreements))
        if orm_time > 1:
            failures.append("årsrapporten brukte mer enn 1 s")
        if ratio > 1.2:
            failures.append(f"årsrapporten brukte mer enn 1,2 ganger håndskrevet SQL (JIT {'på' if jit else 'av'})")
    set_jit(True)

    started = time.perf_counter()
    publication = published.publish(period, actor=None)
    print(
        f"\nPubliserte tall for {period.label}, alle nivåer prikket samlet (bakgrunnsjobb): "
        f"{time.perf_counter() - started:.1f} s, {publication.data['hidden_cells']} skjulte celler"
    )
    from brobygger.bench import pdf
    from brobygger.reporting.models import ReportJob

    pdf_time, peak, job, steps = pdf.time_annual_pdf(period, Level.MUNICIPALITY)
    print(
        f"\nÅrsrapport per kommune som PDF (bakgrunnsjobb, db_worker): {pdf_time:.1f} s, "
        f"høyeste minnebruk (RSS) {peak:.0f} MB, {len(bytes(job.result or b''))} byte, {len(steps)} framdriftssteg vist"
    )
    # The target is under 3 s and 150 MB, or made in parts in the background with progress: this is the
    # second, so the memory is reported, and only a job that fails or shows no progress misses the target.
    print("  (mål: under 3 s og 150 MB, eller delt opp og laget i bakgrunnen med framdrift)")
    if job.status != ReportJob.Status.DONE:
        failures.append("PDF-jobben ble ikke ferdig")
    if len([step for step in steps if 0 < step[0] < 100]) < 2:
        failures.append("PDF-jobben viste ikke framdrift")
    large_counts = pages.query_counts()
    print("\nSpørringer per side (2 år, skala 0,1 → 10 år, skala 1):")
    for name, count in small_counts.items():
        other = large_counts.get(name)
        flag = "" if count == other else "  ← vokser med dataene"
        print(f"  {name:58} {count:4} → {other:4}{flag}")
        if count != other:
            failures.append(f"{name}: antall spørringer vokser med dataene")

    if failures:
        print("\nIkke nådd:\n  " + "\n  ".join(failures))
        return 1
    print("\nAlle mål nådd.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
