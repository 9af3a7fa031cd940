"""The production server's configuration: gunicorn from the environment, static files through WhiteNoise."""

import runpy
from pathlib import Path

from tests.test_settings import PRODUCTION, _manage

CONFIG = Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"


def _gunicorn(monkeypatch, **env) -> dict:
    for name in ["BROBYGGER_HOST", "PORT", "WEB_CONCURRENCY", "GUNICORN_THREADS"]:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_gunicorn_listens_on_this_machine_by_default_like_make_run(monkeypatch):
    config = _gunicorn(monkeypatch)
    assert config["bind"] == "127.0.0.1:8000"
    assert config["wsgi_app"] == "brobygger.wsgi:application"
    assert config["worker_class"] == "gthread"


def test_gunicorn_takes_address_and_size_from_the_environment(monkeypatch):
    config = _gunicorn(monkeypatch, BROBYGGER_HOST="0.0.0.0", PORT="9000", WEB_CONCURRENCY="3", GUNICORN_THREADS="6")
    assert config["bind"] == "0.0.0.0:9000"
    assert (config["workers"], config["threads"]) == (3, 6)


def test_the_access_log_leaves_out_query_strings_and_client_addresses(monkeypatch):
    # The participant search by name is a GET: its query string must never reach a log.
    log_format = _gunicorn(monkeypatch)["access_log_format"]
    assert "%(U)s" in log_format
    for field in ["%(r)s", "%(q)s", "%(h)s", "%(a)s", "%(f)s"]:
        assert field not in log_format


def test_production_serves_hashed_compressed_static_files_through_whitenoise():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.STORAGES['staticfiles']['BACKEND'], 'whitenoise.middleware.WhiteNoiseMiddleware' in "
        "settings.MIDDLEWARE)",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["whitenoise.storage.CompressedManifestStaticFilesStorage", "True"]
