"""Reporting fixtures: background jobs run at once in tests (the database worker is tested on its own)."""

import pytest


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def national_data(personas):
    """A small synthetic country (2 years at scale 0.05) beside the demo personas' services."""
    from brobygger.reporting import generate

    return generate.generate(years=2, scale=0.05, seed=1, last_year=2025)
