"""One design for every job that runs on a Celery worker: check, queue, run, recover.

A job is a ``Job`` row. The request that creates it checks the input (the dry run) and
stores what it found; starting it queues one message; the task calls ``job_run`` with
the work to do. Rules that make a job safe to kill at any moment:

- The task's message is acknowledged only when the task has finished, and is handed
  back to the broker if the worker dies (``TASK_OPTIONS``): the task can run twice.
- A run first *claims* the job (queued → running, ``attempts`` + 1) in its own
  transaction. The work and the job's ``done`` are written in one transaction, and
  ``done`` is written only if the run still owns the job (same ``attempts``): a write
  either happens once, with the job done, or not at all.
- While a run works it beats (in the cache, every few seconds, from a thread). A job
  that is running, or queued, with no beat for ``JOB_HEARTBEAT_TIMEOUT`` seconds has
  lost its worker: whoever looks at it next (its page, or a re-sent message) marks it
  failed; a re-sent message takes it over instead while attempts remain. A failed job
  whose input is still good may be started again ("try again").
- Progress (stage, done of total, via ``job_report``) is news: it goes to the cache, and to the row when
  the run is not inside its write transaction, where nobody else could see it.

Using it for a new kind of job (say a board paper): ``job_create(kind="paper_build",
...)``, ``job_checked(job)``, then ``if job_start(job): my_task.delay(job.pk)``, where
``my_task`` is ``@shared_task(**TASK_OPTIONS)`` and returns ``job_task(self, job_id,
work)``; ``work(job)`` does the writing, reports progress, and returns the result to
keep (or raises ``JobFailed``). Pages follow it with ``job_get`` / ``job_progress``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone

from .models import IntegratedCareSystem
from .models.jobs import WORKING_STATES, Job, JobState

if TYPE_CHECKING:
    from django.contrib.auth.models import User


logger = logging.getLogger(__name__)

TOKEN = re.compile(r"^[0-9a-f]{32}$")
# How long the cache keeps a job's progress: longer than any job runs.
PROGRESS_TTL = 2 * 60 * 60
# A job whose worker died this many times is not taken over again automatically.
MAX_ATTEMPTS = 3
# Options for every task that runs a job (``@shared_task(**TASK_OPTIONS)``). Each task
# may still set its own limits.
TASK_OPTIONS: dict[str, Any] = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "soft_time_limit": 9 * 60,
    "time_limit": 10 * 60,
    # A re-sent message that finds its job still beating waits and looks again.
    "max_retries": MAX_ATTEMPTS + 2,
}
STOPPED = "It stopped before it finished: the server running it stopped or restarted."


class JobFailed(Exception):
    """The work cannot be done; the message is shown on the job's page.

    ``retryable``: the same input may succeed later (a timeout, a lost worker), so the
    page offers to try again; otherwise the person must change the input and check it.
    """

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


class JobLost(Exception):
    """This run no longer owns its job (it was failed or taken over): write nothing."""


def heartbeat_timeout() -> int:
    return int(settings.JOB_HEARTBEAT_TIMEOUT)


def _key(job: Job, part: str) -> str:
    return f"jobs:{job.pk}:{part}"


def _now() -> dt.datetime:
    return timezone.now()


# --- creating, finding, following ---------------------------------------------------


def job_create(
    *,
    kind: str,
    user: User,
    system: IntegratedCareSystem | None = None,
    filename: str = "",
    params: dict[str, Any] | None = None,
    token: str = "",
) -> Job:
    """A new job being checked. ``token`` is the one the page chose, if it is free."""
    if not TOKEN.match(token or "") or Job.objects.filter(token=token).exists():
        token = ""
    job = Job(
        kind=kind,
        created_by=user,
        system=system,
        filename=filename[:255],
        params=params or {},
        heartbeat_at=_now(),
    )
    if token:
        job.token = token
    job.save()
    return job


def job_get(
    token: str, *, user: User, kind: str, system: IntegratedCareSystem | None = None
) -> Job:
    """The user's job of this kind (in this system); 404 for any other, as for none.

    A job is its creator's alone, like an unsent form. A job whose worker vanished is
    marked failed on the way.
    """
    if not TOKEN.match(token or ""):
        raise Http404("No such job.")
    job = (
        Job.objects.defer("payload")
        .filter(token=token, kind=kind, created_by_id=user.pk, system=system)
        .first()
    )
    if job is None:
        raise Http404("No such job.")
    return job_notice_vanished(job)


def job_report(job: Job, stage: str, done: int, total: int) -> None:
    """Progress: to the cache always, to the row when others could see it there."""
    job.stage, job.done, job.total = stage, done, total
    cache.set(_key(job, "progress"), {"stage": stage, "done": done, "total": total}, PROGRESS_TTL)
    _beat(job)
    if not connection.in_atomic_block:
        job.heartbeat_at = _now()
        Job.objects.filter(pk=job.pk, attempts=job.attempts).update(
            stage=stage, done=done, total=total, heartbeat_at=job.heartbeat_at
        )


def job_progress(job: Job) -> dict[str, Any]:
    """How far a job has got, for the page that polls it."""
    progress = cache.get(_key(job, "progress")) or {
        "stage": job.stage,
        "done": job.done,
        "total": job.total,
    }
    return {"state": job.state, **progress, "message": job.error}


def job_payload(job: Job) -> bytes:
    data = Job.objects.filter(pk=job.pk).values_list("payload", flat=True).first()
    return bytes(data or b"")


def job_checked(
    job: Job,
    *,
    ok: bool = True,
    plan: dict[str, Any] | None = None,
    fingerprint: str = "",
    payload: bytes = b"",
) -> Job:
    """Record the dry run; keep the file only if the job may run. A job with nothing to
    check (a paper to build) is marked checked as soon as it is created."""
    job.plan, job.fingerprint = plan or {}, fingerprint
    job.state = JobState.CHECKED if ok else JobState.REFUSED
    job.heartbeat_at = _now()
    job.payload = payload if ok else b""
    job.save(update_fields=["plan", "fingerprint", "state", "heartbeat_at", "payload"])
    return job


def job_discard(job: Job) -> None:
    """A check that could not read the file at all: no job is left behind."""
    cache.delete_many([_key(job, "progress"), _key(job, "beat")])
    job.delete()


# --- starting -----------------------------------------------------------------------


def job_start(job: Job) -> bool:
    """Queue a checked job, or a failed one that may be tried again; once.

    True if this call queued it: the caller then sends the task. A second click, or a
    click on a job already queued, running or done, queues nothing.
    """
    startable = Job.objects.filter(pk=job.pk, state=JobState.CHECKED) | Job.objects.filter(
        pk=job.pk, state=JobState.FAILED, retryable=True
    )
    now = _now()
    queued = startable.update(
        state=JobState.QUEUED, error="", retryable=False, heartbeat_at=now, finished_at=None
    )
    if queued:
        job.state, job.error, job.retryable, job.heartbeat_at = JobState.QUEUED, "", False, now
        job_report(job, "queued", 0, 0)
    return bool(queued)


# --- noticing a vanished worker ------------------------------------------------------


def _beat(job: Job) -> None:
    cache.set(_key(job, "beat"), job.attempts, heartbeat_timeout())


def _vanished(job: Job) -> bool:
    """No sign of life for longer than a living job would stay silent."""
    if job.state not in WORKING_STATES:
        return False
    silence = dt.timedelta(seconds=heartbeat_timeout())
    if job.state == JobState.QUEUED:
        # Queued, never taken: its message may wait until the broker re-sends it.
        visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
        silence += dt.timedelta(seconds=visibility)
    elif cache.get(_key(job, "beat")) == job.attempts:
        return False
    return job.heartbeat_at is None or job.heartbeat_at < _now() - silence


def _fail(job: Job, message: str, *, retryable: bool, states: Any = WORKING_STATES) -> bool:
    """Mark the job failed, if it is still as this caller saw it."""
    changed = Job.objects.filter(pk=job.pk, attempts=job.attempts, state__in=states).update(
        state=JobState.FAILED, error=message, retryable=retryable, finished_at=_now()
    )
    if changed:
        job.state, job.error, job.retryable = JobState.FAILED, message, retryable
        if not retryable:
            Job.objects.filter(pk=job.pk).update(payload=b"")
    return bool(changed)


def job_notice_vanished(job: Job) -> Job:
    if _vanished(job):
        # A check runs in a web request: its file is gone with it, so check again.
        retryable = job.state != JobState.CHECKING
        if _fail(job, STOPPED, retryable=retryable, states=[job.state]):
            logger.warning("Job %s lost its worker; marked failed", job.token)
        else:
            job.refresh_from_db()
    return job


# --- running ------------------------------------------------------------------------


def _claim(job_id: int) -> tuple[Job | None, str]:
    """Take the job for this run, or say why not (done, busy, missing...)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().defer("payload").filter(pk=job_id).first()
        if job is None:
            return None, "missing"
        if job.state == JobState.RUNNING:
            if not _vanished(job):
                return None, "busy"
            if job.attempts >= MAX_ATTEMPTS:
                _fail(job, STOPPED + f" It stopped {job.attempts} times.", retryable=True)
                return None, JobState.FAILED
            logger.warning("Job %s lost its worker; taking it over", job.token)
        elif job.state != JobState.QUEUED:
            return None, job.state
        job.state, job.attempts = JobState.RUNNING, job.attempts + 1
        job.heartbeat_at = job.started_at = _now()
        job.save(update_fields=["state", "attempts", "heartbeat_at", "started_at"])
    _beat(job)
    return job, "claimed"


@contextmanager
def _beating(job: Job) -> Iterator[None]:
    """Beat from a thread while the run works, however long one step takes."""
    stop = threading.Event()
    interval = max(heartbeat_timeout() / 4, 0.2)

    def beat() -> None:
        while not stop.wait(interval):
            _beat(job)

    thread = threading.Thread(target=beat, name=f"job-{job.pk}-beat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _finish(job: Job, result: dict[str, Any]) -> None:
    """Inside the work's transaction: done, only if this run still owns the job."""
    finished = Job.objects.filter(pk=job.pk, state=JobState.RUNNING, attempts=job.attempts).update(
        state=JobState.DONE,
        result=result,
        payload=b"",
        error="",
        retryable=False,
        finished_at=_now(),
        heartbeat_at=_now(),
    )
    if finished != 1:
        raise JobLost(job.token)
    job.state, job.result = JobState.DONE, result


def job_run(job_id: int, work: Callable[[Job], dict[str, Any]]) -> str:
    """A task's body: claim the job, do ``work`` and finish it in one transaction.

    ``work`` returns the result to keep, or raises ``JobFailed``. Returns what happened:
    ``done``, ``failed``, ``busy`` (another run owns it and beats: look again later),
    ``lost``, or the state that made the job not runnable.
    """
    job, outcome = _claim(job_id)
    if job is None:
        return outcome
    try:
        with _beating(job), transaction.atomic():
            _finish(job, work(job))
    except JobLost:
        logger.warning("Job %s was taken over or failed while it ran: wrote nothing", job.token)
        return "lost"
    except JobFailed as failure:
        _fail(job, str(failure), retryable=failure.retryable)
    except SoftTimeLimitExceeded:
        _fail(job, "The job took too long and was stopped.", retryable=True)
    except Exception:
        # The transaction has rolled back; say so rather than leave the page waiting.
        logger.exception("Job %s failed", job.token)
        _fail(job, "The job stopped with an unexpected error.", retryable=True)
    else:
        cache.delete(_key(job, "beat"))
        return JobState.DONE
    return JobState.FAILED


def job_task(task: Any, job_id: int, work: Callable[[Job], dict[str, Any]]) -> str:
    """The body of every job task: run the job; if another run still beats on it (a
    message re-sent while its first worker lives, or died a moment ago), look again
    once a beat would have been missed."""
    outcome = job_run(job_id, work)
    if outcome == "busy":
        raise task.retry(countdown=heartbeat_timeout())
    return outcome


# --- housekeeping -------------------------------------------------------------------

# A checked file not imported within this time is let go: check it again.
KEEP_FILES = dt.timedelta(days=7)
EXPIRED = "The checked file was kept for 7 days and has expired. Check it again."


def jobs_expire_files(*, now: dt.datetime | None = None) -> int:
    """Drop the files of jobs that are not running and were created over a week ago;
    a job still waiting to be started then says the file expired. Returns how many."""
    cutoff = (now or _now()) - KEEP_FILES
    old = Job.objects.filter(created_at__lt=cutoff).exclude(payload=b"")
    old = old.exclude(state__in=[JobState.QUEUED, JobState.RUNNING])
    old.filter(state__in=[JobState.CHECKED, JobState.FAILED]).update(
        state=JobState.FAILED, error=EXPIRED, retryable=False
    )
    return old.update(payload=b"")
