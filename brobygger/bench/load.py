"""`make loadtest`: the production server under 50 and then 100 concurrent users, on this machine only.

Creates a scratch PostgreSQL database (PGHOST, default 127.0.0.1:5432, user PGUSER, default postgres), migrates it,
loads national synthetic data (LOAD_YEARS years at scale 1, default 3) and publishes its figures, adds the demo
personas and pathway, and starts gunicorn (LOAD_WORKERS processes, default 4) on a free port of 127.0.0.1. It signs
in as the demo job specialist, IPS leader and analyst, and runs each number of users in LOAD_USERS (default 50,100)
for LOAD_SECONDS (default 40) seconds. A user opens its persona's pages in random order with a think time between
them; sessions are shared per persona, since logging in a hundred times would only measure password hashing.

It prints p50 and p95 per page, each page's p95 as a multiple of the baseline's (the sign-in page opened while
signed in: a session, a user and a template, which every page pays), and the errors (any status but 200, or a
failed request). It is a benchmark, not a test: it exits non-zero only if a request failed. The server is stopped
and the database dropped at the end, whatever happens. Nothing but 127.0.0.1 is ever addressed.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent.parent
PGHOST = os.environ.get("PGHOST", "127.0.0.1")
PGUSER = os.environ.get("PGUSER", "postgres")
DATABASE = f"brobygger_load_{int(time.time())}"
HOST = "127.0.0.1"  # never anything else: the load goes to this machine only
YEARS = int(os.environ.get("LOAD_YEARS", 3))
WORKERS = int(os.environ.get("LOAD_WORKERS", 4))
USERS = [int(n) for n in os.environ.get("LOAD_USERS", "50,100").split(",")]
SECONDS = float(os.environ.get("LOAD_SECONDS", 40))
THINK = (0.5, 2.0)  # seconds between a user's requests, uniformly
PASSWORD = "demo-brobygger-2026"
BASELINE = "Grunnlinje: innloggingssiden, innlogget"

# (label, path) per persona; every persona also opens the baseline.
PAGES = {
    "jobbspesialist": [("Saksoversikt, jobbspesialist", "/saksoversikt/")],
    "ips-leder": [
        ("Saksoversikt for tilbudet, IPS-leder", "/saksoversikt/team/"),
        ("Statistikk, IPS-leder (eget tilbud)", "/statistikk/"),
    ],
    "analytiker": [
        (
            "Statistikk, analytiker (fjoråret, per fylke)",
            "/statistikk/?" + urlencode({"periode": date.today().year - 1, "niva": "fylke"}),
        ),
        ("Sysselsetting per kvartal, analytiker", "/statistikk/sysselsetting/"),
        ("Modelltrofasthet og resultater, analytiker", "/statistikk/modelltrohet/"),
    ],
}


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", PGHOST, "-U", PGUSER, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], check=True
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


PUBLISH = """
from datetime import date
from brobygger.reporting import published
from brobygger.reporting.periods import ReportingPeriod, PeriodKind
last_quarter = ReportingPeriod.containing(PeriodKind.QUARTER, date.today()).shift(-1)
for period in [ReportingPeriod.for_year(date.today().year - 1), *(last_quarter.shift(-n) for n in range(8))]:
    published.publish(period, actor=None)
"""


def prepare(env: dict) -> None:
    started = time.perf_counter()
    manage(env, "migrate", "-v0")
    # The demo first: it loads only into an empty database.
    manage(env, "seed_demo")
    manage(env, "seed_demo_pathway")
    print(f"Laster {YEARS} år med nasjonale data (skala 1) og publiserer tallene …", flush=True)
    manage(
        env, "generate_national_data", "--years", str(YEARS), "--scale", "1", "--last-year", str(date.today().year - 1)
    )
    manage(env, "shell", "-c", PUBLISH)
    manage(env, "shell", "-c", "from django.db import connection; connection.cursor().execute('ANALYZE')")
    print(f"  klar på {time.perf_counter() - started:.0f} s", flush=True)


def wait_until_ready(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stoppet før den ble klar")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/helse/klar/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn ble ikke klar")


def sign_in(port: int, username: str) -> str:
    """The session cookie of a fresh login through the real form, CSRF token and all."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.request("GET", "/logg-inn/")
    response = connection.getresponse()
    html = response.read().decode()
    csrf = SimpleCookie(response.headers["Set-Cookie"])["csrftoken"].value
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    body = urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={csrf}",
        "Referer": f"http://{HOST}:{port}/logg-inn/",
    }
    connection.request("POST", "/logg-inn/", body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    cookies = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    if response.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"innlogging som {username} feilet ({response.status})")
    return cookies["sessionid"].value


@dataclass
class Results:
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, label: str, seconds: float | None) -> None:
        with self.lock:
            if seconds is None:
                self.errors[label] = self.errors.get(label, 0) + 1
            else:
                self.times.setdefault(label, []).append(seconds)


def user(port: int, session: str, pages: list[tuple[str, str]], deadline: float, results: Results) -> None:
    """One user until the deadline: its pages in random order, with a think time after each."""
    rng = random.Random()
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"Cookie": f"sessionid={session}"}
    while time.monotonic() < deadline:
        for label, path in rng.sample(pages, len(pages)):
            if time.monotonic() >= deadline:
                break
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()  # reconnects on the next request
                ok = False
            results.record(label, time.perf_counter() - started if ok else None)
            time.sleep(rng.uniform(*THINK))


def warm_up(port: int, sessions: dict[str, str]) -> None:
    """Every page a few times per worker process before measuring, so first-request imports and caches are not
    counted. A new connection each time, since a kept-alive one stays with one process."""
    for persona, pages in PAGES.items():
        for _ in range(2 * WORKERS):
            for _label, path in [*pages, (BASELINE, "/logg-inn/")]:
                connection = http.client.HTTPConnection(HOST, port, timeout=60)
                connection.request("GET", path, headers={"Cookie": f"sessionid={sessions[persona]}"})
                connection.getresponse().read()
                connection.close()


def run_phase(port: int, sessions: dict[str, str], users: int) -> Results:
    results = Results()
    personas = list(PAGES)
    deadline = time.monotonic() + SECONDS
    threads = []
    for n in range(users):
        persona = personas[n % len(personas)]
        pages = [*PAGES[persona], (BASELINE, "/logg-inn/")]
        thread = threading.Thread(target=user, args=(port, sessions[persona], pages, deadline, results), daemon=True)
        threads.append(thread)
        thread.start()
        time.sleep(min(0.05, 5 / users))  # a ramp of a few seconds, not one burst
    for thread in threads:
        thread.join(timeout=SECONDS + 60)
    return results


def percentile(values: list[float], share: float) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[int(share * 100) - 1] if len(values) > 1 else values[0]
    )


def report(users: int, results: Results) -> int:
    baseline = percentile(results.times[BASELINE], 0.95) if results.times.get(BASELINE) else float("nan")
    labels = [BASELINE] + [label for pages in PAGES.values() for label, _path in pages]
    requests = sum(len(v) for v in results.times.values())
    errors = sum(results.errors.values())
    print(
        f"\n{users} samtidige brukere, {SECONDS:.0f} s: {requests} svar, {errors} feil, {requests / SECONDS:.1f} svar/s"
    )
    # The server, PostgreSQL and these users share the machine with whatever else runs on it: say how busy it was.
    print(f"  belastning (load average, 1 min) ved slutten: {os.getloadavg()[0]:.1f} på {os.cpu_count()} kjerner")
    print(f"  {'side':50} {'antall':>6} {'p50 ms':>8} {'p95 ms':>8} {'p95/grunnlinje':>15} {'feil':>5}")
    for label in labels:
        times = results.times.get(label, [])
        if not times:
            print(f"  {label:50} {0:6} {'-':>8} {'-':>8} {'-':>15} {results.errors.get(label, 0):5}")
            continue
        p50, p95 = statistics.median(times) * 1000, percentile(times, 0.95) * 1000
        ratio = p95 / (baseline * 1000)
        print(f"  {label:50} {len(times):6} {p50:8.0f} {p95:8.0f} {ratio:15.1f} {results.errors.get(label, 0):5}")
    return errors


def main() -> int:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "BROBYGGER_ENV", "DATABASE_REPLICA_URL"}} | {
        "DATABASE_URL": f"postgres://{PGUSER}@{PGHOST}:5432/{DATABASE}",
        "BROBYGGER_DEMO": "1",  # the demo personas' password
        "BROBYGGER_HOST": HOST,
        "PORT": str(port),
        "WEB_CONCURRENCY": str(WORKERS),
    }
    psql(f"CREATE DATABASE {DATABASE}")
    server = None
    try:
        prepare(env)
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "--config", "deploy/gunicorn.conf.py", "--access-logfile", "/dev/null"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        wait_until_ready(port, server)
        print(f"gunicorn: {WORKERS} prosesser på http://{HOST}:{port}, tenketid {THINK[0]}-{THINK[1]} s", flush=True)
        sessions = {persona: sign_in(port, persona) for persona in PAGES}
        warm_up(port, sessions)
        errors = 0
        for users in USERS:
            errors += report(users, run_phase(port, sessions, users))
        return 1 if errors else 0
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


if __name__ == "__main__":
    sys.exit(main())
