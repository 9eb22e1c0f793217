from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Versioned(models.Model):
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Bumped by every accepted write; a write based on an older one is refused.",
    )

    class Meta:
        abstract = True


class RecordChange(models.Model):
    """One accepted write to a versioned record: who made it, and what it changed.

    Written by ``governance.concurrency`` with the version the write produced, so a
    write refused as stale can tell its author exactly what they had not seen.
    (Milestones keep their own update log, which serves the same purpose.)
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    version = models.PositiveIntegerField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    # [{"field": name, "label": "Review by", "old": "1 Apr 2026", "new": "—"}, …]
    changes = models.JSONField(default=list)

    class Meta:
        ordering = ["-version", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "version"])]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id} v{self.version}"
