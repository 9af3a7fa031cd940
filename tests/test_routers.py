"""The read-replica router, with two database aliases (tests/replica_cases.py), and without a replica."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from brobygger.participants.models import Period
from brobygger.routers import ReplicaRouter, replica_reads

ROOT = Path(__file__).resolve().parent.parent


def test_with_a_replica_the_statistics_read_from_it_and_everything_else_from_the_primary():
    # A test database of its own (test_<name>_replica), apart from this run's; the replica alias, a test mirror,
    # takes the default test database's settings whatever its URL says.
    url = os.environ["DATABASE_URL"] + "_replica" if os.environ.get("DATABASE_URL") else "sqlite:///replica.sqlite3"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/replica_cases.py"],
        cwd=ROOT,
        env=os.environ | {"DATABASE_URL": url, "DATABASE_REPLICA_URL": url},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "3 passed" in result.stdout


def test_without_a_replica_every_read_goes_to_the_primary():
    assert "replica" not in settings.DATABASES
    with replica_reads():
        assert ReplicaRouter().db_for_read(Period) is None
