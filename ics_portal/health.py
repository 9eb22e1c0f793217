"""Health endpoints for the compose file, any orchestrator and the benchmark's floor.

- ``/healthz/live``: the process answers. No database, no session, no template.
- ``/healthz/ready``: the database, the cache and the Celery broker answer; 503 names
  the ones that did not.

Answered by a middleware placed first, before host validation, the HTTPS redirect,
sessions and authentication: a probe from inside the container (``127.0.0.1`` over
plain http) must not be refused by the settings meant for browsers, and the floor of
the benchmark should be the cost of the stack itself, not of those layers.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

LIVE = "/healthz/live"
READY = "/healthz/ready"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=5)
    if cache.get(key) != "ok":
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)


def _broker() -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return  # tasks run in-process: there is no broker to reach
    from ics_portal.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database,
    "cache": _cache,
    "broker": _broker,
}


def ready() -> tuple[int, dict[str, str]]:
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # any failure means "not ready", and we say which
            logger.warning("healthz: %s failed: %s", name, error)
            results[name] = f"failed: {type(error).__name__}"
        else:
            results[name] = "ok"
    failed = [name for name, result in results.items() if result != "ok"]
    return (503 if failed else 200), results


class HealthMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info.rstrip("/")
        if path == LIVE:
            response: HttpResponse = HttpResponse("ok\n", content_type="text/plain")
        elif path == READY:
            status, results = ready()
            failed = [name for name, result in results.items() if result != "ok"]
            body: dict[str, object] = {"status": "ok" if not failed else "unavailable"}
            body["checks"] = results
            if failed:
                body["failed"] = failed
            response = JsonResponse(body, status=status)
        else:
            return self.get_response(request)
        response["Cache-Control"] = "no-store"
        return response
