from celery import shared_task

from . import imports


@shared_task
def map_import_run(token: str) -> str:
    """Import a checked spreadsheet into the map, all rows or none (see ``imports``)."""
    job = imports.run(token)
    return job.state if job is not None else "expired"
