import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from governance.models import Body
from ics_portal.history.records import tracked

from .choices import AssessmentKind, AssessmentStatus, ConditionCategory
from .entries import MapEntry


class Condition(models.Model):
    """What the ICB attaches to a delegation, owned by a body that must evidence it."""

    map_entry = models.ForeignKey(MapEntry, on_delete=models.PROTECT, related_name="conditions")
    category = models.CharField(max_length=32, choices=ConditionCategory.choices)
    requirement = models.TextField()
    evidence_expected = models.TextField(blank=True)
    owner_body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="conditions_owned")
    due_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = tracked(system="map_entry__function__system")

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.requirement[:60]}"

    def is_overdue(self, status: str, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(self.due_date and self.due_date < today and status != AssessmentStatus.MET)

    def clean(self) -> None:
        if (
            self.owner_body_id is not None
            and self.map_entry_id is not None
            and self.owner_body.system_id != self.map_entry.function.system_id
        ):
            raise ValidationError(
                {
                    "owner_body": f"{self.owner_body} belongs to {self.owner_body.system}; "
                    "a condition is owned by a body of the same system."
                }
            )


class ConditionAssessment(models.Model):
    """One assessment of a condition. Append-only: the latest one is the condition's status."""

    condition = models.ForeignKey(Condition, on_delete=models.PROTECT, related_name="assessments")
    kind = models.CharField(
        max_length=16, choices=AssessmentKind.choices, default=AssessmentKind.ASSURED
    )
    status = models.CharField(max_length=16, choices=AssessmentStatus.choices)
    note = models.TextField(blank=True)
    evidence_link = models.URLField(max_length=500, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(default=timezone.now)

    history = tracked(system="condition__map_entry__function__system")

    class Meta:
        ordering = ["-assessed_at", "-pk"]
        get_latest_by = ["assessed_at", "pk"]
        indexes = [models.Index(fields=["condition", "kind", "-assessed_at"])]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()}: {self.get_status_display()} ({self.assessed_at:%d %b %Y})"
        )
