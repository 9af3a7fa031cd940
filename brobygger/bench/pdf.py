"""The annual report per municipality as PDF, the way users get it: queued as a background job (the page's button)
and run by ``manage.py db_worker`` in a process of its own, whose peak memory (maximum resident set size) is
measured by the operating system. The job's progress is sampled while it runs, to show that the page polling it
moves.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.db import connections

from brobygger.bench import pages
from brobygger.reporting.models import ReportJob
from brobygger.reporting.periods import Level, ReportingPeriod

ROOT = Path(__file__).resolve().parent.parent.parent
# The worker is started by a small Python process that reports its child's peak RSS. Measured from the bench
# itself, the figure would include the bench's own memory: a child's ru_maxrss counts what it shared with its
# parent between fork and exec, and the bench holds the national dataset by then.
MEASURE = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def time_annual_pdf(period: ReportingPeriod, level: str = Level.MUNICIPALITY) -> tuple[float, float, ReportJob, list]:
    """(seconds, peak RSS of the worker in MB, the finished job, the (progress, message) steps seen)."""
    from brobygger.reporting import services

    user = pages._user("analytiker")
    job = services.job_start(
        actor=user, kind=ReportJob.Kind.ANNUAL_PDF, params={"period": period.slug, "level": level, "next": ""}
    )
    settings = connections["default"].settings_dict
    env = os.environ | {"DATABASE_URL": f"postgres://{settings['USER']}@{settings['HOST']}:5432/{settings['NAME']}"}
    steps: list[tuple[int, str]] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            step = ReportJob.objects.filter(pk=job.pk).values_list("progress", "message").first()
            if step and (not steps or steps[-1] != step):
                steps.append(step)
            time.sleep(0.2)
        connections.close_all()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    started = time.perf_counter()
    measured = subprocess.run(
        [
            sys.executable,
            "-c",
            MEASURE,
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--max-tasks",
            "1",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    done.set()
    watcher.join()
    peak = int(measured.stdout.split()[-1]) / 1024  # kB on Linux
    job.refresh_from_db()
    return elapsed, peak, job, steps
