from celery import shared_task

from . import imports


@shared_task
def map_import_run(token: str) -> str:
    """Import a checked spreadsheet into the map, all rows or none (see ``imports``)."""
    job = imports.run(token)
    return job.state if job is not None else "expired"


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=60)
def proposal_notice(transition_id: int) -> int:
    """Email about one proposal transition; sent at most once (see ``notifications``)."""
    from .proposals import notifications

    return notifications.send(transition_id)
