"""Real Celery workers for the tests marked ``celery_worker`` (REDIS_URL set)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def start_worker(
    queue: str, log: Path | None = None, *, pool: str = "solo", **env: str
) -> subprocess.Popen:
    """A worker on a queue of its own, so it takes only this test's messages. With the
    solo pool it is one process, so killing it kills the task it runs; with
    ``pool="prefork"`` the task runs in one pool child (see ``pool_children``), as in
    production. ``env`` adds settings; ``log`` keeps what it says (for a failing test's
    message)."""
    output = log.open("ab") if log is not None else subprocess.DEVNULL
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ics_portal",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            queue,
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env={**os.environ, "REDIS_URL": settings.REDIS_URL, **env},
        stdout=output,
        stderr=subprocess.STDOUT,
    )


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def pool_children(process: subprocess.Popen) -> list[int]:
    """The process ids of a prefork worker's pool children (Linux's /proc)."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    try:
        return [int(pid) for pid in children.read_text().split()]
    except FileNotFoundError:
        return []
