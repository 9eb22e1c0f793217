from typing import Any

from celery import shared_task

from governance import jobs

from . import imports


@shared_task(**jobs.TASK_OPTIONS)
def map_import_run(self: Any, job_id: int) -> str:
    """Import a checked spreadsheet into the map, all rows or none (see ``imports``)."""
    return jobs.job_task(self, job_id, imports.import_work)
