from typing import Any

from celery import shared_task

from governance import jobs

from . import imports


@shared_task(**jobs.TASK_OPTIONS)
def map_import_run(self: Any, job_id: int) -> str:
    """Import a checked spreadsheet into the map, all rows or none (see ``imports``)."""
    return jobs.job_task(self, job_id, imports.import_work)


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=50, time_limit=60)
def proposal_notice(transition_id: int) -> int:
    """Email about one proposal transition; sent at most once (see ``notifications``)."""
    from .proposals import notifications

    return notifications.send(transition_id)
