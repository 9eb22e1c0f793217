"""Programmes and their milestones, the log of every change, and digests sent."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from governance.models import Body, IntegratedCareSystem
from governance.models.changes import Versioned
from ics_portal.history.records import tracked
from ics_portal.quarters import quarter_label
from ics_portal.validators import validate_no_bidi_controls, validate_sane_date

from .rag import rag_label, rag_of_milestone


class Programme(Versioned):
    """A programme of milestones, owned by a whole system or by one of its bodies."""

    system = models.ForeignKey(
        IntegratedCareSystem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        help_text="Owner when the programme belongs to the whole system.",
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        help_text="Owner when the programme belongs to one body.",
    )
    name = models.CharField(max_length=200, validators=[validate_no_bidi_controls])
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = tracked(system=("system", "body__system"))

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(system__isnull=False, body__isnull=True)
                    | models.Q(system__isnull=True, body__isnull=False)
                ),
                name="programme_owned_by_system_or_body",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def owner(self) -> IntegratedCareSystem | Body | None:
        return self.body if self.body_id else self.system

    @property
    def owning_system_id(self) -> int | None:
        if self.body_id:
            return self.body.system_id
        return self.system_id

    def clean(self) -> None:
        if bool(self.system_id) == bool(self.body_id):
            raise ValidationError(
                "A programme is owned by the whole system or by one body: choose exactly one."
            )


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    UNDERWAY = "underway", "Underway"
    COMPLETE = "complete", "Complete"
    AT_RISK = "at_risk", "At risk"
    DELAYED = "delayed", "Delayed"
    BLOCKED = "blocked", "Blocked"
    CANCELLED = "cancelled", "Cancelled"


CLOSED_STATUSES = frozenset({Status.COMPLETE, Status.CANCELLED})


class Milestone(Versioned):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="milestones")
    title = models.CharField(max_length=300, validators=[validate_no_bidi_controls])
    description = models.TextField(blank=True)
    owner_body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="milestones")
    lead_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_milestones",
    )
    lead_name = models.CharField(
        max_length=200, blank=True, help_text="The lead's name when they have no account."
    )
    start_date = models.DateField(null=True, blank=True, validators=[validate_sane_date])
    due_date = models.DateField(validators=[validate_sane_date])
    # Entered as "end of Q3 2021/22": the due date is that quarter's last day and is
    # shown as the quarter, as the papers do.
    due_by_quarter = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent, 0 to 100.")
    weight = models.PositiveSmallIntegerField(
        default=1, help_text="Its share of the parent's progress."
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    dependencies = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="dependents"
    )
    # What the milestone is about in the decision map, when it is about one thing.
    function = models.ForeignKey(
        "delegation.Function",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
    )
    map_entry = models.ForeignKey(
        "delegation.MapEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name="map entry",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = tracked(system="owner_body__system", m2m_fields=["dependencies"])

    class Meta:
        ordering = ["due_date", "title"]
        indexes = [models.Index(fields=["owner_body", "due_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100),
                name="milestone_progress_0_to_100",
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gte=1), name="milestone_weight_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(start_date__lte=models.F("due_date")),
                name="milestone_starts_before_due",
            ),
            models.CheckConstraint(
                condition=models.Q(lead_user__isnull=True) | models.Q(lead_name=""),
                name="milestone_one_kind_of_lead",
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="milestone_not_own_parent"
            ),
        ]
        permissions = [("update_milestone", "Update the milestone as its lead")]

    def __str__(self) -> str:
        return self.title

    @property
    def lead_display(self) -> str:
        if self.lead_user_id:
            user = self.lead_user
            return user.get_full_name() or user.get_username()
        return self.lead_name

    @property
    def due_quarter(self) -> str:
        return quarter_label(self.due_date)

    @property
    def due_display(self) -> str:
        if self.due_by_quarter:
            return f"End of {self.due_quarter}"
        return f"{self.due_date:%-d %b %Y}"

    @property
    def rag(self) -> str:
        # Lists annotate ``rag`` in SQL (see rag.rag_annotation); use it when present.
        return self.__dict__.get("rag_value") or rag_of_milestone(self)

    @property
    def rag_label(self) -> str:
        return rag_label(self.rag)

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    def is_overdue(self, today: dt.date | None = None) -> bool:
        from django.utils import timezone

        return self.is_open and self.due_date < (today or timezone.localdate())

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.progress is not None and not 0 <= self.progress <= 100:
            errors.setdefault("progress", []).append("Progress is a percentage from 0 to 100.")
        if self.start_date and self.due_date and self.start_date > self.due_date:
            errors.setdefault("start_date", []).append(
                "The start date cannot be after the due date."
            )
        if self.lead_user_id and self.lead_name:
            errors.setdefault("lead_name", []).append(
                "Give the lead as a user or as a name, not both."
            )
        if self.programme_id and self.owner_body_id:
            system_id = self.programme.owning_system_id
            if self.owner_body.system_id != system_id:
                errors.setdefault("owner_body", []).append(
                    f"{self.owner_body} is not part of the system that owns {self.programme}."
                )
        if self.owner_body_id:
            system_id = self.owner_body.system_id
            if self.function_id and self.function.system_id != system_id:
                errors.setdefault("function", []).append(
                    f"{self.function} is in another system's function catalogue."
                )
            if self.map_entry_id and self.map_entry.function.system_id != system_id:
                errors.setdefault("map_entry", []).append(
                    "That map entry belongs to another system's decision map."
                )
        if self.parent_id:
            if self.pk and self.parent_id == self.pk:
                errors.setdefault("parent", []).append("A milestone cannot be its own parent.")
            elif self.parent.programme_id != self.programme_id:
                errors.setdefault("parent", []).append(
                    f"“{self.parent}” is in another programme; a parent milestone must be "
                    "in the same programme."
                )
        if errors:
            raise ValidationError(errors)


class UpdateField(models.TextChoices):
    CREATED = "created", "Created"
    STATUS = "status", "Status"
    PROGRESS = "progress", "Progress"
    DUE_DATE = "due_date", "Due date"
    LEAD = "lead", "Lead"


class UpdateSource(models.TextChoices):
    FORM = "form", "Form"
    INLINE = "inline", "Table"
    BULK = "bulk", "Bulk update"
    API = "api", "API"
    IMPORT = "import", "Import"
    ROLLUP = "rollup", "Roll-up from sub-milestones"
    SYSTEM = "system", "System"


class MilestoneUpdate(models.Model):
    """One recorded change. Written once by the services, never edited or deleted."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="updates")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    field = models.CharField(max_length=16, choices=UpdateField.choices)
    old_value = models.CharField(max_length=300, blank=True)
    new_value = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=16, choices=UpdateSource.choices)
    # The milestone's version this change produced: when a write is refused as stale,
    # the rows above the writer's version are exactly what they had not seen.
    version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["milestone", "-changed_at"])]

    def __str__(self) -> str:
        return f"{self.milestone}: {self.get_field_display()} {self.old_value} → {self.new_value}"


class DigestSent(models.Model):
    """A body's programme office got its digest on this date: a rerun sends nothing."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)
    milestones = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-date", "body"]
        constraints = [
            models.UniqueConstraint(fields=["body", "date"], name="digest_once_per_body_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.body} — {self.date}"


class MilestoneUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Milestone, on_delete=models.CASCADE)


class MilestoneGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Milestone, on_delete=models.CASCADE)
