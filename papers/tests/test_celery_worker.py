"""A real Celery worker, killed with SIGKILL in the middle of a build and restarted:
the build still ends with exactly one version (acks_late + reject_on_worker_lost, and
the build key). Needs REDIS_URL and PostgreSQL (the worker shares the test database)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set: no broker to test"),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the worker process must share the test database: needs PostgreSQL",
    ),
]
# Unacknowledged messages of a dead worker go back on the queue after this long.
VISIBILITY = 4


def _database_url() -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db.get('USER') or 'postgres'}{password}@{db.get('HOST') or '127.0.0.1'}"
        f":{db.get('PORT') or 5432}/{db['NAME']}"
    )


def _worker(queue: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "REDIS_URL": settings.REDIS_URL,
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ics_portal",
            "worker",
            "--pool=solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            queue,
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(predicate, timeout: float, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return None


def test_a_build_killed_mid_way_ends_with_exactly_one_version(transactional_db, persona):
    from papers.demo import TITLE
    from papers.models import BuildStage, BuildState, Paper, PaperBuild
    from papers.tasks import paper_build

    call_command("load_demo", verbosity=0)
    paper = Paper.objects.get(author_body__slug="tht", title=TITLE)
    build = PaperBuild.objects.create(
        paper=paper, key=uuid.uuid4().hex, requested_by=persona("tht.office")
    )
    queue = f"test-papers-{uuid.uuid4().hex}"
    first = _worker(queue)
    second = None
    try:
        paper_build.apply_async(args=[build.pk], queue=queue)
        mid = (BuildStage.GATHERING, BuildStage.RENDERING, BuildStage.WRITING)
        stage = _wait(
            lambda: (
                PaperBuild.objects.filter(pk=build.pk, stage__in=mid)
                .values_list("stage", flat=True)
                .first()
            ),
            timeout=120,
        )
        assert stage, "the worker never started the build"
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        build.refresh_from_db()
        assert build.state == BuildState.RUNNING, "killed too late: the build had finished"
        assert not paper.versions.filter(build_key=build.key).exists()

        second = _worker(queue)
        done = _wait(
            lambda: PaperBuild.objects.filter(pk=build.pk, state=BuildState.DONE).first(),
            timeout=180,
            step=0.5,
        )
        assert done is not None, "the build was not run again after the worker died"
        assert paper.versions.filter(build_key=build.key).count() == 1
        assert done.attempts == 2
        from papers import building

        building.verify(done.result)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
