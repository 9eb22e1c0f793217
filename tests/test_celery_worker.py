"""A real Celery worker process, fed through Redis, runs the portal's tasks."""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings

from governance.tasks import ping
from tests.workers import start_worker, stop_worker

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set: no broker to test"),
]


@pytest.fixture
def worker_queue():
    """A worker on a queue of its own, so it takes only this test's messages."""
    queue = f"test-{uuid.uuid4().hex}"
    process = start_worker(queue)
    try:
        yield queue
    finally:
        stop_worker(process)


def test_worker_returns_a_task_result(worker_queue):
    from ics_portal.celery import app

    assert not app.conf.task_always_eager
    result = ping.apply_async(queue=worker_queue)
    assert result.get(timeout=60) == "pong"
    assert result.successful()


def test_without_a_worker_nothing_runs_in_process():
    # The opposite case: with a broker configured, a task is queued, not run here.
    from ics_portal.celery import app

    assert not app.conf.task_always_eager
    result = ping.apply_async(queue=f"nobody-listens-{uuid.uuid4().hex}")
    assert result.status == "PENDING"
    result.forget()
