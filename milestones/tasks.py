from typing import Any

from celery import shared_task

from governance import jobs

from . import imports
from .digests import send_digests


@shared_task
def send_milestone_digests() -> int:
    """Each morning: every programme office's overdue and due-soon milestones."""
    return send_digests()


@shared_task(**jobs.TASK_OPTIONS)
def milestone_import_run(self: Any, job_id: int) -> str:
    """Import a checked milestone spreadsheet, all rows or none (see ``imports``)."""
    return jobs.job_task(self, job_id, imports.import_work)
