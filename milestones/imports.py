"""A milestone spreadsheet import as a job (``governance.jobs``), like the map's: check,
then import on a worker, all rows or none.

``check`` reads the upload and tries every row (the dry run, rolled back) in the upload
request, and keeps the file and what the check found with the job; the programme office
reads it on the job's page and starts the import (``tasks.milestone_import_run``),
which tries the rows again against the programme as it is then and writes them only if
they would do exactly what the check showed.
"""

from __future__ import annotations

import hashlib
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.http import Http404

from governance import jobs
from governance.models import IntegratedCareSystem, Job
from ics_portal.types import RequestUser

from . import permissions, spreadsheets
from .models import Programme
from .permissions import Action

KIND = "milestone_import"


def job_get(token: str, *, user: RequestUser, programme: Programme) -> Job:
    """This user's import into this programme; 404 otherwise. The caller has already
    been allowed to import into ``programme``."""
    job = jobs.job_get(token, user=user, kind=KIND, system=_system(programme))
    if job.params.get("programme") != programme.pk:
        raise Http404("No such import.")
    return job


def _system(programme: Programme) -> IntegratedCareSystem:
    return programme.body.system if programme.body_id else programme.system


progress_of = jobs.job_progress
start = jobs.job_start


def _summary(result: spreadsheets.ImportResult) -> dict[str, Any]:
    return {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "errors": [[e.row, e.column, e.reason] for e in result.errors],
    }


def _fingerprint(summary: dict[str, Any]) -> str:
    what = repr((summary["created"], summary["updated"], summary["unchanged"]))
    return hashlib.sha256(what.encode()).hexdigest()


def _try(
    job: Job, programme: Programme, user: RequestUser, content: bytes, *, dry_run: bool
) -> Any:
    report = partial(jobs.job_report, job)
    rows = spreadsheets.read_rows(job.filename, content, progress=report)
    return spreadsheets.import_milestones(
        programme=programme, by=user, rows=rows, dry_run=dry_run, progress=report
    )


def check(
    *, programme: Programme, user: RequestUser, filename: str, content: bytes, token: str = ""
) -> Job:
    """Read and try every row (changing nothing) and keep the file, ready to import.

    Raises ``uploads.FileRefused`` for a file that cannot be read, and keeps no job.
    """
    job = jobs.job_create(
        kind=KIND,
        user=user,
        system=_system(programme),
        filename=filename,
        params={"programme": programme.pk},
        token=token,
    )
    jobs.job_report(job, "read", 0, 0)
    try:
        result = _try(job, programme, user, content, dry_run=True)
    except spreadsheets.uploads.FileRefused:
        jobs.job_discard(job)
        raise
    summary = _summary(result)
    return jobs.job_checked(
        job,
        plan=summary,
        fingerprint=_fingerprint(summary),
        ok=not result.errors,
        payload=content,
    )


def import_work(job: Job) -> dict[str, Any]:
    """The work of a started job: the rows again, written only if they do what the
    check showed (the job is finished in the same transaction)."""
    user = get_user_model().objects.filter(pk=job.created_by_id, is_active=True).first()
    programme = Programme.objects.filter(pk=job.params.get("programme")).first()
    if (
        user is None
        or programme is None
        or not permissions.can(user, Action.ADD_MILESTONE, programme)
    ):
        raise jobs.JobFailed("You may no longer import into this programme. Nothing was imported.")
    try:
        result = _try(job, programme, user, jobs.job_payload(job), dry_run=False)
    except spreadsheets.uploads.FileRefused as refused:
        raise jobs.JobFailed(str(refused)) from None
    summary = _summary(result)
    if result.errors or _fingerprint(summary) != job.fingerprint:
        first = f" ({result.errors[0]})" if result.errors else ""
        raise jobs.JobFailed(
            "The milestones changed after this file was checked, so the import would no "
            f"longer do what the check showed{first}. Nothing was imported: check the file "
            "again."
        )
    return {
        "created": len(result.created),
        "updated": len(result.updated),
        "unchanged": result.unchanged,
    }


def run(job_id: int) -> str:
    """Import a started job's file (the task's body); see ``governance.jobs.job_run``."""
    return jobs.job_run(job_id, import_work)
