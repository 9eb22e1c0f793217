"""Celery tasks of board papers: thin, the work is in ``building``."""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from . import building
from .models import PaperBuild


@shared_task(
    acks_late=True,
    # A worker killed mid-build (SIGKILL, OOM) hands the message back: the build runs
    # again, and its key makes sure it still ends with exactly one version.
    reject_on_worker_lost=True,
    time_limit=settings.PAPER_BUILD_TIME_LIMIT,
    soft_time_limit=max(settings.PAPER_BUILD_TIME_LIMIT - 20, 10),
)
def paper_build(build_id: int) -> str:
    try:
        version = building.run(build_id)
    except SoftTimeLimitExceeded:
        build = PaperBuild.objects.filter(pk=build_id).first()
        if build is not None:
            building.fail(build, "The build took too long and was stopped. Try again.")
        return "timed out"
    return version.label if version is not None else "failed"


def enqueue(build_id: int) -> None:
    paper_build.delay(build_id)
