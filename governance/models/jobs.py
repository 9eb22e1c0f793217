"""Work that runs outside the request: a spreadsheet import, a board paper being built.

One row per job, whatever its kind, so that every app follows, retries and recovers
its jobs the same way (``governance.jobs``). What matters survives a killed worker
because it is here, in the database: the state, the attempt that owns the job, the
last sign of life, the error and the result. Progress between those points is news
kept in the cache.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


def new_token() -> str:
    return uuid.uuid4().hex


class JobState(models.TextChoices):
    CHECKING = "checking", "Checking"
    CHECKED = "checked", "Checked"  # ready to run
    REFUSED = "refused", "Refused"  # the check refused it: it cannot run
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


WORKING_STATES = frozenset({JobState.CHECKING, JobState.QUEUED, JobState.RUNNING})


class Job(models.Model):
    # The job's address in URLs: unguessable, and known to the page before the job
    # exists, so the page can follow a check while the upload request still runs.
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    kind = models.CharField(max_length=40, help_text="What runs it, e.g. map_import.")
    system = models.ForeignKey(
        "governance.IntegratedCareSystem",
        on_delete=models.CASCADE,
        related_name="jobs",
        null=True,
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
    )
    # What the job works on, beyond the system (e.g. {"programme": 3}).
    params = models.JSONField(default=dict, blank=True)
    filename = models.CharField(max_length=255, blank=True)
    # The uploaded file, kept from the check until the job is done.
    payload = models.BinaryField(default=b"", blank=True, editable=False)
    # What the check found (e.g. the dry run, row by row), and its digest: the run
    # refuses to do anything other than what the check showed.
    plan = models.JSONField(default=dict, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)

    state = models.CharField(
        max_length=10, choices=JobState.choices, default=JobState.CHECKING, db_index=True
    )
    stage = models.CharField(max_length=20, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # May the same job be queued again after it failed (its input is still valid)?
    retryable = models.BooleanField(default=False)
    result = models.JSONField(default=dict, blank=True)
    # Which run owns the job: a run finishes the job only if it is still the owner.
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "state"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.token[:8]} ({self.state})"

    @property
    def working(self) -> bool:
        return self.state in WORKING_STATES

    @property
    def importable(self) -> bool:
        return self.state == JobState.CHECKED

    @property
    def may_retry(self) -> bool:
        return self.state == JobState.FAILED and self.retryable
