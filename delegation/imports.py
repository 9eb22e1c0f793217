"""A spreadsheet import as a job: check the file, then import it, reporting progress.

The governance lead uploads a file once. ``check`` reads it, plans every row (the dry
run) and keeps the file and the plan under a random token; the lead reads the plan on
the job's page and, if no row is refused, starts the import, which runs as a Celery task
(``tasks.map_import_run``) and calls ``run``.

Jobs live in the cache, not the database: the import writes inside one transaction (all
rows or none), so progress recorded in the database would stay invisible to the page
asking for it until the very end. A job expires after ``JOB_TTL``; the file is then
simply checked again.
"""

from __future__ import annotations

import io
import logging
import re
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404

from governance.models import IntegratedCareSystem

from . import permissions, spreadsheets

logger = logging.getLogger(__name__)

JOB_TTL = 2 * 60 * 60
TOKEN = re.compile(r"^[0-9a-f]{32}$")


class JobState:
    CHECKING = "checking"
    CHECKED = "checked"  # every row can be imported
    REFUSED = "refused"  # some rows are refused: nothing can be imported
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"  # the import stopped; nothing was imported

    WORKING = frozenset({CHECKING, QUEUED, RUNNING})


@dataclass
class ImportJob:
    token: str
    system_id: int
    user_id: int
    filename: str
    state: str = JobState.CHECKING
    fingerprint: str = ""
    # The dry run, per row: row, reference, action, changes, errors (column, reason).
    rows: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    result: dict[str, int] = field(default_factory=dict)
    message: str = ""

    @property
    def refused_rows(self) -> list[dict[str, Any]]:
        return [row for row in self.rows if row["errors"]]

    @property
    def importable(self) -> bool:
        return self.state == JobState.CHECKED

    @property
    def working(self) -> bool:
        return self.state in JobState.WORKING


def new_token() -> str:
    return uuid.uuid4().hex


def _key(token: str, part: str = "job") -> str:
    return f"delegation:import:{token}:{part}"


def _save(job: ImportJob) -> None:
    cache.set(_key(job.token), asdict(job), JOB_TTL)


def _load(token: str) -> ImportJob | None:
    if not TOKEN.match(token or ""):
        return None
    data = cache.get(_key(token))
    return ImportJob(**data) if data else None


def report(token: str, stage: str, done: int, total: int) -> None:
    cache.set(_key(token, "progress"), {"stage": stage, "done": done, "total": total}, JOB_TTL)


def job_get(token: str, *, user: Any, system: IntegratedCareSystem) -> ImportJob:
    """The job, if it is this user's import into this system; 404 otherwise.

    The caller has already been allowed to import into ``system``; a job is then its
    uploader's alone, like an unsent form.
    """
    job = _load(token)
    if job is None or job.user_id != user.pk or job.system_id != system.pk:
        raise Http404("No such import.")
    return job


def progress_of(job: ImportJob) -> dict[str, Any]:
    """How far a job has got, for the page that polls it."""
    progress = cache.get(_key(job.token, "progress")) or {"stage": "", "done": 0, "total": 0}
    return {"state": job.state, **progress, "message": job.message}


# --- checking: the dry run --------------------------------------------------------


def _plan_rows(plan: spreadsheets.ImportPlan) -> list[dict[str, Any]]:
    return [
        {
            "row": item.row,
            "reference": item.reference,
            "action": item.action,
            "changes": item.changes,
            "errors": item.errors,
        }
        for item in plan.rows
    ]


def check(
    *,
    system: IntegratedCareSystem,
    user: Any,
    filename: str,
    content: bytes,
    token: str = "",
) -> ImportJob:
    """Read and plan the file (changing nothing) and keep it, ready to import.

    ``token`` is the one the upload form carried, so that its page can follow the
    check while the request runs; a new one is made if it is missing or not this
    user's. Raises ``spreadsheets.FileRefused`` for a file that cannot be read at all.
    """
    existing = _load(token)
    if not TOKEN.match(token or "") or (existing is not None and existing.user_id != user.pk):
        token = new_token()
    job = ImportJob(token=token, system_id=system.pk, user_id=user.pk, filename=filename)
    _save(job)
    report(token, "read", 0, 0)
    try:
        table = spreadsheets.read_table(
            io.BytesIO(content), filename, len(content), progress=lambda *a: report(token, *a)
        )
    except spreadsheets.FileRefused:
        cache.delete_many([_key(token), _key(token, "progress")])
        raise
    plan = spreadsheets.plan_import(system, table, progress=lambda *a: report(token, *a))
    job.rows = _plan_rows(plan)
    job.counts = {
        action: plan.count(action) for action in ("create", "change", "revoke", "unchanged")
    }
    job.counts["refused"] = len(plan.refused)
    job.fingerprint = spreadsheets.plan_fingerprint(plan)
    job.state = JobState.CHECKED if plan.ok else JobState.REFUSED
    if plan.ok:
        cache.set(_key(token, "file"), content, JOB_TTL)
    _save(job)
    return job


# --- importing ----------------------------------------------------------------------


def start(job: ImportJob) -> bool:
    """Mark a checked job as queued, once: a second click does not import twice."""
    if not job.importable or not cache.add(_key(job.token, "started"), True, JOB_TTL):
        return False
    job.state = JobState.QUEUED
    _save(job)
    report(job.token, "write", 0, 0)
    return True


def _fail(job: ImportJob, message: str) -> ImportJob:
    job.state, job.message = JobState.FAILED, message
    _save(job)
    return job


def run(token: str) -> ImportJob | None:
    """Import a started job's file: check it again against the map as it is now, then
    write every row or none. The task's body."""
    job = _load(token)
    if job is None or job.state != JobState.QUEUED:
        return job
    job.state = JobState.RUNNING
    _save(job)
    content = cache.get(_key(token, "file"))
    if content is None:
        return _fail(job, "The checked file has expired. Check it again, then import it.")
    user = get_user_model().objects.filter(pk=job.user_id, is_active=True).first()
    system = IntegratedCareSystem.objects.filter(pk=job.system_id).first()
    if user is None or system is None or not permissions.may_edit_map(user, system):
        return _fail(job, "You may no longer change this map. Nothing was imported.")
    try:
        table = spreadsheets.read_table(
            io.BytesIO(content), job.filename, len(content), progress=lambda *a: report(token, *a)
        )
        plan = spreadsheets.plan_import(system, table, progress=lambda *a: report(token, *a))
        if spreadsheets.plan_fingerprint(plan) != job.fingerprint:
            return _fail(
                job,
                "The map changed after this file was checked, so the import would no longer "
                "do what the check showed. Nothing was imported: check the file again.",
            )
        job.result = spreadsheets.apply_import(
            plan, user=user, progress=lambda *a: report(token, *a)
        )
    except (spreadsheets.FileRefused, ValidationError) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        return _fail(job, " ".join(messages))
    except Exception:
        # The transaction has rolled back; say so rather than leave the page waiting.
        logger.exception("Map import %s failed", token)
        return _fail(job, "The import stopped with an unexpected error. Nothing was imported.")
    job.state = JobState.DONE
    _save(job)
    cache.delete(_key(token, "file"))
    return job
