from celery import shared_task

from . import jobs
from .models import IntegratedCareSystem
from .selectors import landscape_counts


@shared_task
def ping() -> str:
    """Round trip through the broker, for health checks of a deployed worker."""
    return "pong"


@shared_task
def system_landscape_counts(system_id: int) -> dict[str, int]:
    return landscape_counts(system=IntegratedCareSystem.objects.get(pk=system_id))


@shared_task
def expire_job_files() -> int:
    """Nightly: uploaded files of old jobs are let go (idempotent)."""
    return jobs.jobs_expire_files()
