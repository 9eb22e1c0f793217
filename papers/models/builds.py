"""Built PDFs (frozen versions) and the build jobs that make them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from .choices import STAGE_PROGRESS, BuildStage, BuildState
from .papers import Paper


class PaperVersion(models.Model):
    """A built PDF: a record that never changes. Rebuilding makes a new version.

    ``build_key`` is the key of the build request that made it (unique), so a build
    re-run after a killed worker finds its version instead of making a second one.
    """

    paper = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    build_key = models.CharField(max_length=32, unique=True, editable=False)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    built_at = models.DateTimeField(default=timezone.now)
    file = models.FileField(max_length=300, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    size = models.PositiveIntegerField(editable=False)
    page_count = models.PositiveIntegerField(editable=False)
    # What the paper said and the data it used, exactly as rendered.
    snapshot = models.JSONField(default=dict, editable=False)

    class Meta:
        ordering = ["paper", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["paper", "number"], name="paper_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.paper.title} v{self.number}"

    def save(self, *args, **kwargs) -> None:
        # A version is a record: written once, never changed.
        if self.pk is not None and PaperVersion.objects.filter(pk=self.pk).exists():
            raise ValueError("A paper version never changes; build a new one instead.")
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return f"v{self.number}"


class PaperBuild(models.Model):
    """One request to build a paper: its state and stage, in the database.

    Progress is written in its own small commits (outside the build's transaction),
    so the paper page reads it while the build runs.
    """

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="builds")
    key = models.CharField(max_length=32, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=16, choices=BuildState.choices, default=BuildState.QUEUED)
    stage = models.CharField(max_length=16, choices=BuildStage.choices, default=BuildStage.WAITING)
    message = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.OneToOneField(
        PaperVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="build"
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Build of {self.paper_id} ({self.state})"

    @property
    def progress(self) -> int:
        return 100 if self.state == BuildState.DONE else STAGE_PROGRESS.get(self.stage, 0)

    @property
    def working(self) -> bool:
        return self.state in (BuildState.QUEUED, BuildState.RUNNING)

    def vanished(self, now: dt.datetime | None = None) -> bool:
        """A build that has not moved for longer than a build may take: its worker is
        gone (killed, or the message lost). It is shown failed and can be retried."""
        if not self.working:
            return False
        now = now or timezone.now()
        last = self.heartbeat_at or self.requested_at
        return (now - last).total_seconds() > settings.PAPER_BUILD_STALL_SECONDS
