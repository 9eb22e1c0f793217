"""A worker killed in the middle of an import: the import ends exactly once.

A real worker (Celery over Redis, PostgreSQL shared with the test) imports a large
milestone file; it is killed with SIGKILL while it writes; a new worker starts, the
broker hands it the unacknowledged message again, and it takes over the job. Every row
is written once — or, had the job ended failed, none — and the job's page says which.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import time
import unittest.mock
import uuid
from collections.abc import Callable

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from governance import jobs
from governance.models import Job, JobState
from milestones import tasks
from milestones.models import Milestone, Programme
from tests.workers import pool_children, start_worker, stop_worker

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set: no broker to test"),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="the worker must share the test's database: set DATABASE_URL to PostgreSQL",
    ),
]

ROWS = 200
# The worker notices a silent job, and the broker re-sends an unacknowledged message,
# within seconds rather than the production minutes.
WORKER_ENV = {
    "JOB_HEARTBEAT_TIMEOUT": "2",
    "CELERY_VISIBILITY_TIMEOUT": "3",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
}


def _until(what: str, condition: Callable[[], object], timeout: float, log) -> object:
    """Poll ``condition`` until it holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    job = Job.objects.order_by("-pk").first()
    pytest.fail(
        f"Timed out waiting until {what}: {job and jobs.job_progress(job)}, attempts "
        f"{job and job.attempts}. Worker log:\n{log.read_text()[-3000:]}"
    )


def _big_file() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["title", "owner_body", "status", "due_date"])
    for n in range(ROWS):
        writer.writerow([f"Killed import {n:04}", "tht", "not_started", "2026-03-31"])
    return out.getvalue().encode()


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


@pytest.fixture
def worker_env(tmp_path):
    database = settings.DATABASES["default"]
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or '127.0.0.1'}"
        f":{database['PORT'] or 5432}/{connection.settings_dict['NAME']}"
    )
    return {"DATABASE_URL": url, **WORKER_ENV}


@pytest.fixture
def checked_import(demo, client) -> tuple[Job, str]:
    """A big milestone file, checked and ready to import, as ``tht.office``."""
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="tht.office"))
    programme = Programme.objects.get(body__system__slug="nel", body__slug="tht")
    checked = client.post(
        reverse("milestones:import", args=[programme.pk]),
        {"file": SimpleUploadedFile("big.csv", _big_file())},
    )
    assert checked.status_code == 302, checked.content[:2000]
    job_url = checked["Location"]
    job = Job.objects.get(token=job_url.rstrip("/").rsplit("/", 1)[1])
    assert job.state == JobState.CHECKED
    return job, job_url


def _start(client, job_url: str, queue: str) -> None:
    """Press "Import", sending the task to this test's own queue."""
    send = tasks.milestone_import_run.apply_async
    with unittest.mock.patch.object(
        tasks.milestone_import_run, "delay", lambda *a: send(a, queue=queue)
    ):
        assert client.post(job_url).status_code == 302


def _writing(job: Job) -> Callable[[], bool]:
    def check() -> bool:
        job.refresh_from_db()
        progress = jobs.job_progress(job)
        return progress["stage"] == "write" and progress["done"] > 0

    return check


def _ended(job: Job) -> Callable[[], bool]:
    def check() -> bool:
        job.refresh_from_db()
        return job.state in (JobState.DONE, JobState.FAILED)

    return check


def _imported_exactly_once(client, job: Job, job_url: str, before: int) -> None:
    assert job.state == JobState.DONE, job.error
    assert job.attempts == 2  # a second run took the job over
    imported = Milestone.objects.filter(title__startswith="Killed import ")
    assert imported.count() == ROWS == imported.values("title").distinct().count()
    assert Milestone.objects.count() == before + ROWS
    page = client.get(job_url).content.decode()
    assert "Imported" in page and f"{ROWS} added, 0 updated, 0 unchanged" in page


def test_a_worker_killed_mid_import_the_import_ends_exactly_once(
    checked_import, client, worker_env, tmp_path
):
    job, job_url = checked_import
    queue, log = f"test-{uuid.uuid4().hex}", tmp_path / "worker.log"
    before = Milestone.objects.count()

    first = start_worker(queue, log, **worker_env)
    second = None
    try:
        _start(client, job_url, queue)
        # Kill the worker once it has written some rows, inside its one transaction.
        _until("the worker writes", _writing(job), 120, log)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        job.refresh_from_db()
        assert job.state == JobState.RUNNING and job.attempts == 1
        assert Milestone.objects.count() == before  # nothing of the killed run is visible

        second = start_worker(queue, log, **worker_env)
        _until("the job ends", _ended(job), 600, log)
    finally:
        stop_worker(first)
        if second is not None:
            stop_worker(second)

    _imported_exactly_once(client, job, job_url, before)


def test_a_pool_child_killed_mid_import_the_import_ends_exactly_once(
    checked_import, client, worker_env, tmp_path
):
    """Production runs the prefork pool: the OOM killer takes the child running the
    task, not the worker. The worker notices the lost child, hands the message back
    (``reject_on_worker_lost``) and a fresh child runs it again."""
    job, job_url = checked_import
    queue, log = f"test-{uuid.uuid4().hex}", tmp_path / "worker.log"
    before = Milestone.objects.count()

    worker = start_worker(queue, log, pool="prefork", **worker_env)
    try:
        _start(client, job_url, queue)
        _until("the worker writes", _writing(job), 120, log)
        children = pool_children(worker)
        assert len(children) == 1, children
        os.kill(children[0], signal.SIGKILL)
        _until("the job ends", _ended(job), 600, log)
        assert worker.poll() is None  # the worker itself lived on
    finally:
        stop_worker(worker)

    _imported_exactly_once(client, job, job_url, before)
