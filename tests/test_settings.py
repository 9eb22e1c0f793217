"""Production settings refuse to start without what production needs."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_check(**env: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "PORTAL_BASE_URL"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_check(DJANGO_ENV="production", ALLOWED_HOSTS="portal.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_check(DJANGO_ENV="production", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_refuses_to_start_without_the_portal_address():
    result = run_check(
        DJANGO_ENV="production", SECRET_KEY="x" * 60, ALLOWED_HOSTS="portal.example.org"
    )
    assert result.returncode != 0
    assert "PORTAL_BASE_URL must be set" in result.stderr


def test_production_starts_with_all_three():
    result = run_check(
        DJANGO_ENV="production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="portal.example.org",
        PORTAL_BASE_URL="https://portal.example.org",
    )
    assert result.returncode == 0, result.stderr


def test_an_unknown_environment_is_refused():
    result = run_check(DJANGO_ENV="staging")
    assert result.returncode != 0
    assert "DJANGO_ENV" in result.stderr


def test_the_milestone_digest_is_scheduled_every_morning():
    from django.conf import settings

    from ics_portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["milestone-digests"]
    app.loader.import_default_modules()  # what a worker does at start: autodiscovery
    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {7}


def _setting(expression: str, **env: str) -> str:
    base = {k: v for k, v in os.environ.items() if k not in env}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
            "'ics_portal.settings'); django.setup(); from django.conf import settings; "
            f"print({expression})",
        ],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_media_storage_and_upload_limits_come_from_the_environment(tmp_path):
    options = '{"location": "/srv/files"}'
    assert _setting("settings.MEDIA_ROOT", MEDIA_ROOT=str(tmp_path)) == str(tmp_path)
    assert (
        _setting(
            "settings.STORAGES['default']",
            DEFAULT_FILE_STORAGE_BACKEND="example.S3Storage",
            DEFAULT_FILE_STORAGE_OPTIONS=options,
        )
        == "{'BACKEND': 'example.S3Storage', 'OPTIONS': {'location': '/srv/files'}}"
    )
    limits = _setting(
        "settings.DATA_UPLOAD_MAX_MEMORY_SIZE, settings.FILE_UPLOAD_MAX_MEMORY_SIZE, "
        "settings.DATA_UPLOAD_MAX_NUMBER_FIELDS",
        DATA_UPLOAD_MAX_MEMORY_SIZE="1000",
        FILE_UPLOAD_MAX_MEMORY_SIZE="2000",
        DATA_UPLOAD_MAX_NUMBER_FIELDS="30",
    )
    assert limits == "1000 2000 30"


def test_bad_storage_settings_are_refused_at_start():
    result = run_check(DEFAULT_FILE_STORAGE_OPTIONS="[1, 2]")
    assert result.returncode != 0 and "must be a JSON object" in result.stderr
    result = run_check(DATA_UPLOAD_MAX_MEMORY_SIZE="lots")
    assert result.returncode != 0 and "must be a whole number" in result.stderr


def test_report_only_csp_is_for_development_and_keeps_the_same_policy():
    enforced = _setting("settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src']")
    reported = _setting(
        "settings.CONTENT_SECURITY_POLICY_REPORT_ONLY['DIRECTIVES']['script-src'], "
        "settings.CONTENT_SECURITY_POLICY",
        CSP_REPORT_ONLY="1",
    )
    assert reported == f"{enforced} None"
    result = run_check(
        DJANGO_ENV="production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="portal.example.org",
        PORTAL_BASE_URL="https://portal.example.org",
        CSP_REPORT_ONLY="1",
    )
    assert result.returncode != 0
    assert "CSP_REPORT_ONLY is for development" in result.stderr
