"""A map spreadsheet import as a job (``governance.jobs``): check, then import.

The governance lead uploads a file once. ``check`` reads it and plans every row (the
dry run) in the upload request, and keeps the file and the plan with the job; the lead
reads the plan on the job's page and, if no row is refused, starts the import, which
runs on a worker (``tasks.map_import_run``): the file is checked again against the map
as it is then, and every row is written, or none (``services.map_import_apply``).
"""

from __future__ import annotations

import io
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from governance import jobs
from governance.models import IntegratedCareSystem, Job
from ics_portal.types import RequestUser

from . import import_rows, permissions, services

KIND = "map_import"
ACTIONS = ("create", "change", "revoke", "unchanged")


def job_get(token: str, *, user: RequestUser, system: IntegratedCareSystem) -> Job:
    """This user's map import into this system; 404 otherwise. The caller has already
    been allowed to import into ``system``."""
    return jobs.job_get(token, user=user, kind=KIND, system=system)


progress_of = jobs.job_progress
start = jobs.job_start


def refused_rows(job: Job) -> list[dict[str, Any]]:
    return [row for row in job.plan.get("rows", []) if row["errors"]]


def _plan_rows(plan: import_rows.ImportPlan) -> list[dict[str, Any]]:
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


def _read_and_plan(job: Job, content: bytes) -> import_rows.ImportPlan:
    report = partial(jobs.job_report, job)
    table = import_rows.read_table(io.BytesIO(content), job.filename, len(content), progress=report)
    return import_rows.plan_import(job.system, table, progress=report)


def check(
    *,
    system: IntegratedCareSystem,
    user: RequestUser,
    filename: str,
    content: bytes,
    token: str = "",
) -> Job:
    """Read and plan the file (changing nothing) and keep it, ready to import.

    ``token`` is the one the upload form carried, so that its page can follow the
    check while the request runs. Raises ``import_rows.FileRefused`` for a file that
    cannot be read at all, and then keeps no job.
    """
    job = jobs.job_create(kind=KIND, user=user, system=system, filename=filename, token=token)
    jobs.job_report(job, "read", 0, 0)
    try:
        plan = _read_and_plan(job, content)
    except import_rows.FileRefused:
        jobs.job_discard(job)
        raise
    counts = {action: plan.count(action) for action in ACTIONS}
    counts["refused"] = len(plan.refused)
    return jobs.job_checked(
        job,
        plan={"rows": _plan_rows(plan), "counts": counts},
        fingerprint=import_rows.plan_fingerprint(plan),
        ok=plan.ok,
        payload=content,
    )


def import_work(job: Job) -> dict[str, Any]:
    """The work of a started job: check the file again against the map as it is now,
    then write every row or none (the job is finished in the same transaction)."""
    user = get_user_model().objects.filter(pk=job.created_by_id, is_active=True).first()
    if user is None or job.system is None or not permissions.may_edit_map(user, job.system):
        raise jobs.JobFailed("You may no longer change this map. Nothing was imported.")
    try:
        plan = _read_and_plan(job, jobs.job_payload(job))
    except import_rows.FileRefused as refused:
        raise jobs.JobFailed(str(refused)) from None
    if import_rows.plan_fingerprint(plan) != job.fingerprint:
        raise jobs.JobFailed(
            "The map changed after this file was checked, so the import would no longer "
            "do what the check showed. Nothing was imported: check the file again."
        )
    try:
        return services.map_import_apply(
            plan=plan, user=user, progress=partial(jobs.job_report, job)
        )
    except ValidationError as error:
        raise jobs.JobFailed(" ".join(error.messages)) from None


def run(job_id: int) -> str:
    """Import a started job's file (the task's body); see ``governance.jobs.job_run``."""
    return jobs.job_run(job_id, import_work)
