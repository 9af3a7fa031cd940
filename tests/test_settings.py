"""Production settings pass Django's deployment checks, and every page carries a strict CSP."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "BROBYGGER_DEMO"}} | env
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


PRODUCTION = {
    "BROBYGGER_ENV": "production",
    "SECRET_KEY": "x" * 20 + "-production-like-key-with-enough-entropy-9f8e7d6c5b4a",
    "ALLOWED_HOSTS": "brobygger.example.no",
    "IDENTITY_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "IDENTITY_HASH_KEY": "h" * 64,
}


def test_check_deploy_is_clean_in_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", **(PRODUCTION | {"SECRET_KEY": ""}))
    assert result.returncode != 0
    assert "SECRET_KEY må settes i produksjon" in result.stderr


def test_production_refuses_to_start_without_identity_keys():
    result = _manage("check", **(PRODUCTION | {"IDENTITY_ENCRYPTION_KEYS": ""}))
    assert result.returncode != 0
    assert "IDENTITY_ENCRYPTION_KEYS" in result.stderr


@pytest.mark.parametrize(
    ("unsafe", "message"),
    [
        ({"DEBUG": "1"}, "DEBUG må være av i produksjon"),
        ({"SECRET_KEY": "kort-nøkkel"}, "SECRET_KEY må være minst 50 tilfeldige tegn"),
        ({"SECRET_KEY": "ab" * 40}, "SECRET_KEY må være minst 50 tilfeldige tegn"),
        ({"SECRET_KEY": "django-insecure-" + "k9#" * 20}, "SECRET_KEY må være minst 50 tilfeldige tegn"),
        ({"IDENTITY_HASH_KEY": ""}, "IDENTITY_ENCRYPTION_KEYS og IDENTITY_HASH_KEY må settes"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS må nevne vertsnavnene"),
        ({"ALLOWED_HOSTS": "brobygger.example.no,*"}, "ALLOWED_HOSTS må nevne vertsnavnene"),
    ],
    ids=["debug", "short-key", "monotonous-key", "startproject-key", "no-hash-key", "no-hosts", "any-host"],
)
def test_production_refuses_to_start_with_unsafe_settings(unsafe, message):
    result = _manage("check", **(PRODUCTION | unsafe))
    assert result.returncode != 0
    assert "ImproperlyConfigured: Brobygger starter ikke:" in result.stderr
    assert message in result.stderr


def test_production_names_every_unsafe_setting_at_once():
    result = _manage("check", **(PRODUCTION | {"DEBUG": "1", "SECRET_KEY": "", "ALLOWED_HOSTS": "*"}))
    assert result.returncode != 0
    for message in ["DEBUG", "SECRET_KEY må settes", "ALLOWED_HOSTS"]:
        assert message in result.stderr


def test_production_never_generates_identity_keys(tmp_path):
    result = _manage("check", BROBYGGER_VAR_DIR=str(tmp_path), **(PRODUCTION | {"IDENTITY_ENCRYPTION_KEYS": ""}))
    assert result.returncode != 0
    assert not (tmp_path / "identity_keys").exists()


def _setting(name: str, **env) -> dict:
    result = _manage(
        "shell", "-c", f"import json; from django.conf import settings; print(json.dumps(settings.{name}))", **env
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _database_settings(**env) -> dict:
    return _setting("DATABASES", **env)


POSTGRES = "postgres://brobygger@db.example.no:5432/brobygger"


def test_postgresql_gets_a_connection_pool_from_the_environment():
    databases = _database_settings(DATABASE_URL=POSTGRES, DB_POOL_MIN_SIZE="3", DB_POOL_MAX_SIZE="12")
    default = databases["default"]
    assert default["OPTIONS"]["pool"] == {"min_size": 3, "max_size": 12, "timeout": 10}
    assert default["CONN_MAX_AGE"] == 0  # Django refuses persistent connections with a pool


def test_the_pool_has_sane_defaults_and_can_be_turned_off():
    assert _database_settings(DATABASE_URL=POSTGRES)["default"]["OPTIONS"]["pool"] == {
        "min_size": 1,
        "max_size": 4,
        "timeout": 10,
    }
    unpooled = _database_settings(DATABASE_URL=POSTGRES, DB_POOL_MAX_SIZE="0")["default"]
    assert "pool" not in unpooled["OPTIONS"]
    assert unpooled["CONN_MAX_AGE"] == 60


def test_sqlite_has_no_pool(tmp_path):
    default = _database_settings(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")["default"]
    assert "pool" not in default.get("OPTIONS", {})


def test_a_replica_url_adds_a_pooled_replica_alias_mirrored_in_tests():
    databases = _database_settings(
        DATABASE_URL=POSTGRES, DATABASE_REPLICA_URL="postgres://brobygger@replica.example.no:5432/brobygger"
    )
    assert databases["replica"]["HOST"] == "replica.example.no"
    assert "pool" in databases["replica"]["OPTIONS"]
    assert databases["replica"]["TEST"]["MIRROR"] == "default"


def test_mail_goes_by_smtp_in_production_to_the_console_locally_and_to_a_named_backend():
    without = {"EMAIL_BACKEND": "", "EMAIL_HOST": ""}
    smtp = _setting("MAILERS", **PRODUCTION, **without | {"EMAIL_HOST": "smtp.example.no"})["default"]
    assert smtp["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert smtp["OPTIONS"]["host"] == "smtp.example.no"
    console = _setting("MAILERS", **without)["default"]
    assert console["BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    named = _setting("MAILERS", **without | {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend"})
    assert named["default"] == {"BACKEND": "django.core.mail.backends.filebased.EmailBackend"}


def test_demo_mode_is_never_on_in_production():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEMO_MODE)",
        BROBYGGER_DEMO="1",
        **PRODUCTION,
    )
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_pages_have_a_csp_with_a_nonce_and_no_inline_script_or_style(client, personas, login):
    login(personas["sysadmin"])
    for path in ["/", "/tilbud/", "/organisasjoner/", "/organisasjoner/ny/", "/revisjon/"]:
        response = client.get(path)
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self' 'nonce-" in policy and "style-src 'self';" in policy
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
        assert not re.search(r"<style|\sstyle=", html), path


def test_english_is_available(client, personas, login):
    login(personas["analytiker"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en"' in html
    assert ">Log out</button>" in html and ">Home</a>" in html
