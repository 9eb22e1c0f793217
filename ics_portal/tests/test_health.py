"""/healthz/live and /healthz/ready."""

import pytest

from ics_portal import health


def test_live_answers_without_the_database(client, settings):
    # No django_db mark: pytest-django raises on any database access.
    settings.ALLOWED_HOSTS = ["portal.example.org"]  # a probe on 127.0.0.1 still answers
    response = client.get("/healthz/live", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_ready_checks_database_cache_and_broker(client):
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_ready_names_what_failed_with_503(client, monkeypatch):
    def broken() -> None:
        raise ConnectionError("refused")

    monkeypatch.setitem(health.CHECKS, "cache", broken)
    monkeypatch.setitem(health.CHECKS, "broker", broken)
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["cache", "broker"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "failed: ConnectionError"


@pytest.mark.django_db
def test_ready_reaches_a_real_broker_when_tasks_are_not_eager(settings, monkeypatch):
    """With a broker configured the check really connects: an unreachable one fails."""
    from ics_portal.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    status, results = health.ready()
    assert status == 503
    assert results["broker"].startswith("failed")
