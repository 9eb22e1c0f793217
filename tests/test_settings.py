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
